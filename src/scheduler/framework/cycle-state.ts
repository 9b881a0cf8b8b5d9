// Per-pod, per-attempt scratch space shared by the plugins of one scheduling cycle (upstream CycleState):
// PreFilter computes once and Filter reads on every node.

/** Data a plugin stores in the cycle state; `clone` is used when the state is copied for a what-if run. */
export interface StateData {
  clone(): StateData;
}

export class CycleState {
  private readonly storage = new Map<string, StateData>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run this cycle. */
  skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run this cycle. */
  skipScorePlugins = new Set<string>();

  read<T extends StateData>(key: string): T | undefined {
    return this.storage.get(key) as T | undefined;
  }

  write(key: string, data: StateData): void {
    this.storage.set(key, data);
  }

  delete(key: string): void {
    this.storage.delete(key);
  }

  /** A deep copy (each datum cloned). */
  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.storage) c.storage.set(k, v.clone());
    c.skipFilterPlugins = new Set(this.skipFilterPlugins);
    c.skipScorePlugins = new Set(this.skipScorePlugins);
    return c;
  }
}
