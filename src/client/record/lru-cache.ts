// A small least-recently-used map with a fixed capacity: what the event correlator keeps its per-key state
// in, so memory stays bounded however many distinct events a component records.

export class LRUCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {
    if (!(capacity > 0)) throw new Error(`LRU capacity must be > 0, got ${capacity}`);
  }

  /** The value, marking the key as most recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  /** Sets the value; evicts the least recently used key when over capacity. */
  add(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }
}
