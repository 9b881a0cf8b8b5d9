// The API side of preemption (upstream Evaluator.PreemptPod and clearNominatedNodeName): each victim gets the
// DisruptionTarget condition, is deleted and gets a `Preempted` event; lower-priority pods nominated to the
// node lose their nomination so they look elsewhere.
import type { Pod } from '../../../api/generated/core/v1.js';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Interface as ClientInterface } from '../../../client/rest/interface.js';
import type { EventRecorder } from '../../event-recorder.js';

const pods = { group: '', version: 'v1', resource: 'pods' };

export interface EvictVictimsOptions {
  client: ClientInterface;
  recorder?: EventRecorder;
  preemptor: Pod;
  nodeName: string;
  /** The clock's time, for the condition's lastTransitionTime. */
  now: number;
  victims: readonly Pod[];
  /** Lower-priority pods nominated to the node, whose status.nominatedNodeName is cleared. */
  clearNomination: readonly Pod[];
}

/** Runs the evictions; a victim already gone counts as done. Rejects with the first other error. */
export async function evictVictims(o: EvictVictimsOptions): Promise<void> {
  await Promise.all(
    o.clearNomination.map(async (p) => {
      const meta = p.metadata ?? {};
      await o.client.resource(pods, meta.namespace ?? '').patch(meta.name ?? '', 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' }).catch(ignoreNotFound);
    }),
  );
  await Promise.all(o.victims.map((v) => preemptPod(o, v)));
}

async function preemptPod(o: EvictVictimsOptions, victim: Pod): Promise<void> {
  const meta = victim.metadata ?? {};
  const client = o.client.resource(pods, meta.namespace ?? '');
  const condition = {
    type: 'DisruptionTarget',
    status: 'True',
    reason: 'PreemptionByScheduler',
    message: `${o.preemptor.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`,
    lastTransitionTime: new Date(o.now).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  try {
    await client.patch(meta.name ?? '', 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
    await client.delete(meta.name ?? '', { preconditions: meta.uid ? { uid: meta.uid } : undefined });
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  o.recorder?.eventf(victim, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${o.preemptor.metadata?.uid ?? ''} on node ${o.nodeName}`);
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
