// Test support: a RateLimitingQueue that only records what a controller put in it, for tests that call
// `sync(key)` or event handlers directly and check which keys were enqueued (and how).
import type { RateLimitingQueue } from '../../client/workqueue/interface.js';

export class RecordingQueue implements RateLimitingQueue<string> {
  readonly added: string[] = [];
  readonly addedAfter: Array<{ item: string; ms: number }> = [];
  readonly rateLimited: string[] = [];
  readonly forgotten: string[] = [];
  readonly doneItems: string[] = [];
  private readonly requeues = new Map<string, number>();
  private shut = false;

  add(item: string): void {
    this.added.push(item);
  }

  addAfter(item: string, ms: number): void {
    this.addedAfter.push({ item, ms });
  }

  addRateLimited(item: string): void {
    this.rateLimited.push(item);
    this.requeues.set(item, (this.requeues.get(item) ?? 0) + 1);
  }

  forget(item: string): void {
    this.forgotten.push(item);
    this.requeues.delete(item);
  }

  numRequeues(item: string): number {
    return this.requeues.get(item) ?? 0;
  }

  /** Sets how many times `item` already failed (to test giving up). */
  setRequeues(item: string, n: number): void {
    this.requeues.set(item, n);
  }

  len(): number {
    return this.added.length;
  }

  async get(): Promise<{ item: string; shutdown: false } | { item?: undefined; shutdown: true }> {
    return { shutdown: true };
  }

  done(item: string): void {
    this.doneItems.push(item);
  }

  shutDown(): void {
    this.shut = true;
  }

  async shutDownWithDrain(): Promise<void> {
    this.shut = true;
  }

  shuttingDown(): boolean {
    return this.shut;
  }
}
