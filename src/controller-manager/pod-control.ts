// Upstream's PodControl: how workload controllers create pods from a template (with a controller
// ownerReference and generateName `<owner>-`) and delete them, recording the events users see in
// `kubectl describe` (SuccessfulCreate, FailedCreate, SuccessfulDelete, FailedDelete).
import { isNotFound } from '../apimachinery/errors.js';
import type { PodTemplateSpec } from '../api/generated/core/v1.js';
import type * as corev1 from '../api/generated/core/v1.js';
import type { Typed } from '../client/typed.js';
import type { Interface, KubeObject } from '../client/rest/interface.js';
import type { EventRecorder } from './controller-context.js';
import { resources } from './controller-context.js';
import type { OwnerReference } from './controller-ref-manager.js';

type Pod = Typed<corev1.Pod>;

export interface PodControl {
  /** Creates one pod from `template` in `namespace`, controlled by `owner` through `controllerRef`. */
  createPod(opts: { namespace: string; template: PodTemplateSpec; owner: KubeObject; controllerRef: OwnerReference }): Promise<Pod>;
  /** Deletes the pod `name`; `owner` gets the event. */
  deletePod(opts: { namespace: string; name: string; owner: KubeObject }): Promise<void>;
}

/**
 * The pod a controller creates (upstream GetPodFromTemplate): the template's labels, annotations,
 * finalizers and spec; generateName `<owner name>-`; the controller reference as the only ownerReference.
 */
export function podFromTemplate(template: PodTemplateSpec, owner: KubeObject, controllerRef: OwnerReference): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata?.name ?? ''}-`,
      namespace: owner.metadata?.namespace,
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec),
  };
  if (meta.labels) pod.metadata!.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata!.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata!.finalizers = [...meta.finalizers];
  return pod;
}

/** PodControl over the API, with upstream's event reasons and messages. */
export class RealPodControl implements PodControl {
  constructor(
    private readonly client: Interface,
    private readonly recorder: EventRecorder,
  ) {}

  async createPod(opts: { namespace: string; template: PodTemplateSpec; owner: KubeObject; controllerRef: OwnerReference }): Promise<Pod> {
    const pod = podFromTemplate(opts.template, opts.owner, opts.controllerRef);
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) {
      throw new Error(`unable to create pods, no labels`);
    }
    try {
      const created = await this.client.resource<Pod>(resources.pods, opts.namespace).create(pod);
      this.recorder.event(opts.owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
      return created;
    } catch (err) {
      this.recorder.event(opts.owner, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  async deletePod(opts: { namespace: string; name: string; owner: KubeObject }): Promise<void> {
    try {
      await this.client.resource<Pod>(resources.pods, opts.namespace).delete(opts.name);
      this.recorder.event(opts.owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${opts.name}`);
    } catch (err) {
      // Already gone: the caller counts it as deleted; no warning for users.
      if (isNotFound(err)) throw err;
      this.recorder.event(opts.owner, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      throw err;
    }
  }
}
