// Where a written object carries pod specs: the pod itself, or the template of a workload (Deployment,
// ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, PodTemplate), with its field path.

import type * as corev1 from '../../api/generated/core/v1.js';
import type * as metav1 from '../../api/generated/meta/v1.js';
import type { APIObject } from '../registry/strategy.js';

export interface PodSpecAt {
  /** Field path of the spec, e.g. "spec" (pods) or "spec.template.spec". */
  path: string;
  metadata: metav1.ObjectMeta;
  spec: corev1.PodSpec;
}

type Template = { metadata?: metav1.ObjectMeta; spec?: corev1.PodSpec } | undefined;
const specTemplate = (o: APIObject): Template => (o.spec as { template?: Template } | undefined)?.template;

/** Template-bearing resources by "<group>/<resource>", with the template's path. */
const templates: Record<string, { path: string; get: (o: APIObject) => Template }> = {
  '/podtemplates': { path: 'template', get: (o) => o.template as Template },
  '/replicationcontrollers': { path: 'spec.template', get: specTemplate },
  'apps/replicasets': { path: 'spec.template', get: specTemplate },
  'apps/deployments': { path: 'spec.template', get: specTemplate },
  'apps/statefulsets': { path: 'spec.template', get: specTemplate },
  'apps/daemonsets': { path: 'spec.template', get: specTemplate },
  'batch/jobs': { path: 'spec.template', get: specTemplate },
  'batch/cronjobs': { path: 'spec.jobTemplate.spec.template', get: (o) => (o.spec as { jobTemplate?: { spec?: { template?: Template } } } | undefined)?.jobTemplate?.spec?.template },
};

/** The pod template a workload object carries (undefined for anything else, pods included). */
export function podTemplateOf(resource: { group: string; resource: string }, obj: APIObject): PodSpecAt | undefined {
  const t = templates[`${resource.group}/${resource.resource}`];
  const tpl = t?.get(obj);
  if (!t || !tpl) return undefined;
  return { path: `${t.path}.spec`, metadata: tpl.metadata ?? {}, spec: tpl.spec ?? { containers: [] } };
}
