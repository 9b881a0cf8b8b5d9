// PodNodeSelector (upstream plugin/pkg/admission/podnodeselector): a namespace's
// scheduler.alpha.kubernetes.io/node-selector annotation (or the configured cluster default) is merged into
// its pods' nodeSelector; a conflicting pod, or one outside the namespace's configured whitelist, is refused.

import type * as corev1 from '../../../api/generated/core/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const podNodeSelectorPluginName = 'PodNodeSelector';
export const namespaceNodeSelectorAnnotation = 'scheduler.alpha.kubernetes.io/node-selector';

/** PodNodeSelectorConfiguration's podNodeSelectorPluginConfig: clusterDefaultNodeSelector and per-namespace whitelists. */
export type PodNodeSelectorConfig = Record<string, string>;

/** "a=b,c=d" → {a: 'b', c: 'd'}; throws for anything but equality terms. */
export function parseNodeSelector(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const term of s.split(',').map((t) => t.trim()).filter(Boolean)) {
    const m = /^([^=!\s]+)\s*==?\s*([^=\s]*)$/.exec(term);
    if (!m) throw new Error(`invalid node selector term ${JSON.stringify(term)}`);
    out[m[1]] = m[2];
  }
  return out;
}

export function newPodNodeSelector(opts: { reader: ObjectReader; config?: PodNodeSelectorConfig }): AdmissionPlugin {
  const clusterDefault = opts.config?.clusterDefaultNodeSelector ?? '';
  async function namespaceSelector(namespace: string): Promise<Record<string, string>> {
    const ns = await opts.reader.get({ group: '', resource: 'namespaces' }, '', namespace);
    const annotation = ns?.metadata?.annotations?.[namespaceNodeSelectorAnnotation];
    return parseNodeSelector(annotation ?? clusterDefault);
  }
  const podOf = (attrs: Parameters<NonNullable<AdmissionPlugin['admit']>>[0]) =>
    attrs.resource.group === '' && attrs.resource.resource === 'pods' && attrs.subresource === '' && attrs.object ? (attrs.object as corev1.Pod) : undefined;
  return {
    name: podNodeSelectorPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      const pod = podOf(attrs);
      if (!pod) return;
      const nsSelector = await namespaceSelector(attrs.namespace);
      const spec = (pod.spec ??= { containers: [] });
      for (const [k, v] of Object.entries(nsSelector)) {
        if (spec.nodeSelector?.[k] !== undefined && spec.nodeSelector[k] !== v) throw newAdmissionForbidden(attrs, 'pod node label selector conflicts with its namespace node label selector');
      }
      if (Object.keys(nsSelector).length) spec.nodeSelector = { ...(spec.nodeSelector ?? {}), ...nsSelector };
    },
    async validate(attrs) {
      const pod = podOf(attrs);
      if (!pod) return;
      const nsSelector = await namespaceSelector(attrs.namespace);
      for (const [k, v] of Object.entries(nsSelector)) {
        if (pod.spec?.nodeSelector?.[k] !== undefined && pod.spec.nodeSelector[k] !== v) throw newAdmissionForbidden(attrs, 'pod node label selector conflicts with its namespace node label selector');
      }
      const whitelist = opts.config?.[attrs.namespace];
      if (whitelist === undefined) return;
      const allowed = parseNodeSelector(whitelist);
      for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
        if (allowed[k] !== v) throw newAdmissionForbidden(attrs, 'pod node label selector labels conflict with its namespace whitelist');
      }
    },
  };
}
