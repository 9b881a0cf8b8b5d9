// pods/binding and the legacy `bindings` resource (upstream BindingREST): the scheduler's way of assigning
// a pod to a node — sets spec.nodeName once, merges the binding's annotations, marks PodScheduled True.

import { newBadRequest, newConflict, StatusError } from '../../../apimachinery/errors.js';
import type { GenericRegistry } from '../generic/registry.js';
import { asObject, asObjectList } from '../object-paths.js';
import type { APIObject, ObjectMeta } from '../strategy.js';

export interface BindPodOptions {
  /** The pods registry. */
  pods: GenericRegistry;
  namespace: string;
  /** The pod named by the URL (pods/{name}/binding); undefined for POST …/bindings (the body names it). */
  urlName?: string;
  /** The decoded core/v1 Binding. */
  binding: APIObject;
  dryRun?: boolean;
}

/** The Status upstream answers a successful binding or eviction with (the create handler adds code 201). */
export function successStatus(): APIObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

/**
 * upstream validation.ValidatePodBinding, as the plain error text upstream returns: the BindingREST hands
 * these back as an aggregate error, which reaches the client as a 500 without a reason.
 */
function validateBinding(binding: APIObject): string[] {
  const target = asObject(binding.target) ?? {};
  const errs: string[] = [];
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    errs.push(`target.kind: Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node", "<empty>"`);
  }
  if (typeof target.name !== 'string' || target.name === '') errs.push('target.name: Required value');
  return errs;
}

/**
 * Assigns the pod to `binding.target.name`. 400 when the URL and body names differ; 409 Conflict on
 * `pods/binding` when the pod is being deleted, already assigned, scheduling-gated, or the binding's
 * uid/resourceVersion preconditions do not match; 404 when the pod does not exist.
 */
export async function bindPod(opts: BindPodOptions): Promise<APIObject> {
  const meta = (opts.binding.metadata ?? {}) as ObjectMeta;
  const name = meta.name ?? '';
  if (opts.urlName !== undefined && opts.urlName !== name) throw newBadRequest('name in URL does not match name in Binding object');
  if (meta.namespace && meta.namespace !== opts.namespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const errs = validateBinding(opts.binding);
  // A plain error upstream: code 500, no reason, the text as the message.
  if (errs.length) throw new StatusError({ code: 500, message: errs.length > 1 ? `[${errs.join(', ')}]` : errs[0] });
  const node = (asObject(opts.binding.target) ?? {}).name as string;
  const refused = (detail: string) => newConflict({ group: '', resource: 'pods/binding' }, name, detail);
  await opts.pods.updateStored({
    namespace: opts.namespace,
    name,
    dryRun: opts.dryRun,
    tryUpdate: (pod) => {
      const pmeta = pod.metadata as ObjectMeta;
      if (pmeta.deletionTimestamp) throw refused(`pod ${name} is being deleted, cannot be assigned to a host`);
      if (meta.uid && meta.uid !== pmeta.uid) {
        throw refused(`the UID in the precondition (${meta.uid}) does not match the UID in record (${pmeta.uid ?? ''}). The object might have been deleted and then recreated`);
      }
      if (meta.resourceVersion && meta.resourceVersion !== pmeta.resourceVersion) {
        throw refused(`the ResourceVersion in the precondition (${meta.resourceVersion}) does not match the ResourceVersion in record (${pmeta.resourceVersion ?? ''}). The object might have been modified`);
      }
      const spec = (asObject(pod.spec) ?? {}) as Record<string, unknown>;
      if (typeof spec.nodeName === 'string' && spec.nodeName !== '') throw refused(`pod ${name} is already assigned to node "${spec.nodeName}"`);
      if (asObjectList(spec.schedulingGates).length > 0) throw refused(`pod ${name} has non-empty .spec.schedulingGates`);
      return assign(pod, node, meta.annotations);
    },
  });
  return successStatus();
}

/** The pod bound to `node`: nodeName set, annotations merged, PodScheduled True. */
function assign(pod: APIObject, node: string, annotations: Record<string, string> | undefined): APIObject {
  pod.spec = { ...(asObject(pod.spec) ?? {}), nodeName: node };
  const pmeta = pod.metadata as ObjectMeta;
  if (annotations && Object.keys(annotations).length) pmeta.annotations = { ...(pmeta.annotations ?? {}), ...annotations };
  const status = (asObject(pod.status) ?? {}) as Record<string, unknown>;
  const conditions = asObjectList(status.conditions).map((c) => ({ ...c }));
  const i = conditions.findIndex((c) => c.type === 'PodScheduled');
  if (i < 0) conditions.push({ type: 'PodScheduled', status: 'True' });
  else if (conditions[i].status !== 'True') conditions[i] = { ...conditions[i], status: 'True' };
  pod.status = { ...status, conditions };
  return pod;
}
