// Stored objects of one resource as plugins need them on every write (webhook configurations, admission
// policies and bindings): listed through the watch cache, parsed again only when the list changed.

import type { Registries } from '../registry/generic/registries.js';

export class CachedList<T> {
  private lastItems: readonly string[] = [];
  private parsed: readonly T[] = [];

  constructor(
    private readonly registries: Registries,
    private readonly group: string,
    private readonly resource: string,
  ) {}

  /** Every object, sorted by name (the order upstream's configuration managers give). */
  async items(): Promise<readonly T[]> {
    const reg = this.registries.get(this.group, this.resource);
    if (!reg) return [];
    const { items } = await reg.list({ namespace: '' });
    if (items.length === this.lastItems.length && items.every((t, i) => t === this.lastItems[i])) return this.parsed;
    const objs = items.map((t) => JSON.parse(t) as T & { metadata?: { name?: string } });
    objs.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    this.lastItems = items;
    this.parsed = objs;
    return objs;
  }
}
