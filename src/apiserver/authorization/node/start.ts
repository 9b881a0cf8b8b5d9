// Starts the Node authorizer inside the apiserver: its graph fed by informers on pods, persistent volumes
// and volume attachments.

import type { Clock } from '../../../base/clock.js';
import type { SecurityContext } from '../../security-context.js';
import { StoreInformer } from '../store-informer.js';
import { NodeAuthorizer } from './authorizer.js';
import { NodeGraph } from './graph.js';

/** Resolves once the graph holds every pod, PV and VolumeAttachment; the watches end with ctx.signal. */
export async function startNodeAuthorizer(ctx: SecurityContext, opts: { clock?: Clock } = {}): Promise<NodeAuthorizer> {
  const graph = new NodeGraph();
  const common = { store: ctx.store, signal: ctx.signal, clock: opts.clock };
  const starts: Array<Promise<void>> = [];
  const pods = ctx.registries.get('', 'pods');
  if (!pods) throw new Error('Node authorization needs pods to be served');
  starts.push(new StoreInformer({ ...common, registry: pods, handler: graph.podHandler() }).start());
  const pvs = ctx.registries.get('', 'persistentvolumes');
  if (pvs) starts.push(new StoreInformer({ ...common, registry: pvs, handler: graph.pvHandler() }).start());
  const vas = ctx.registries.get('storage.k8s.io', 'volumeattachments');
  if (vas) starts.push(new StoreInformer({ ...common, registry: vas, handler: graph.volumeAttachmentHandler() }).start());
  await Promise.all(starts);
  return new NodeAuthorizer({ graph });
}
