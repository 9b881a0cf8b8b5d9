// Pods a Permit plugin asked to wait (upstream waitingPodsMap / waitingPod): each waits for every waiting
// plugin to allow it, for any plugin to reject it, or for the earliest plugin timeout.
import type { Pod } from '../../api/generated/core/v1.js';
import type { Clock, Timer } from '../../base/clock.js';
import { Code, Status } from './status.js';

export interface WaitingPod {
  pod: Pod;
  /** Plugins still to allow. */
  pending: Set<string>;
  /** Lets `plugin`'s hold go; the pod proceeds when no plugin holds it. */
  allow(plugin: string): void;
  reject(plugin: string, msg: string): void;
}

interface Entry extends WaitingPod {
  settle(s: Status | null): void;
  result: Promise<Status | null>;
  timers: Timer[];
}

export class WaitingPods {
  private readonly pods = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Registers `pod` as waiting on `plugins` (name → timeout ms). */
  add(pod: Pod, plugins: Map<string, number>): void {
    const uid = pod.metadata?.uid ?? '';
    let settle!: (s: Status | null) => void;
    const result = new Promise<Status | null>((resolve) => (settle = resolve));
    const entry: Entry = {
      pod,
      pending: new Set(plugins.keys()),
      timers: [],
      result,
      settle: (s) => {
        if (!this.pods.has(uid)) return;
        this.pods.delete(uid);
        for (const t of entry.timers) t.stop();
        settle(s);
      },
      allow: (plugin) => {
        entry.pending.delete(plugin);
        if (entry.pending.size === 0) entry.settle(null);
      },
      reject: (plugin, msg) => entry.settle(new Status(Code.Unschedulable, [msg], plugin)),
    };
    for (const [plugin, ms] of plugins) {
      entry.timers.push(this.clock.setTimer(ms, () => entry.reject(plugin, `rejected due to timeout after waiting ${ms / 1000}s at plugin ${plugin}`)));
    }
    this.pods.set(uid, entry);
  }

  get(uid: string): WaitingPod | undefined {
    return this.pods.get(uid);
  }

  /** Resolves with null when allowed, or the rejection; null at once for a pod that is not waiting. */
  wait(uid: string): Promise<Status | null> {
    return this.pods.get(uid)?.result ?? Promise.resolve(null);
  }

  /** Rejects every waiting pod (shutdown). */
  rejectAll(msg: string): void {
    for (const e of [...this.pods.values()]) e.reject('', msg);
  }

  size(): number {
    return this.pods.size;
  }
}
