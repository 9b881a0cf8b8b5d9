// PodTolerationRestriction (upstream plugin/pkg/admission/podtolerationrestriction): new pods get their
// namespace's default tolerations (annotation scheduler.alpha.kubernetes.io/defaultTolerations, else the
// configured default), non-BestEffort pods tolerate memory pressure, and the resulting tolerations must fit the
// namespace's whitelist (scheduler.alpha.kubernetes.io/tolerationsWhitelist, else the configured one).

import type * as corev1 from '../../../api/generated/core/v1.js';
import { StatusError } from '../../../apimachinery/errors.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

export const podTolerationRestrictionPluginName = 'PodTolerationRestriction';
const defaultTolerationsAnnotation = 'scheduler.alpha.kubernetes.io/defaultTolerations';
const whitelistAnnotation = 'scheduler.alpha.kubernetes.io/tolerationsWhitelist';

/** PodTolerationRestrictionConfig (podtolerationrestriction.admission.k8s.io/v1alpha1). */
export interface PodTolerationRestrictionConfig {
  default?: corev1.Toleration[];
  whitelist?: corev1.Toleration[];
}

/** Whether toleration `ss` tolerates everything `t` does (upstream Toleration.IsSuperset). */
export function isSuperset(ss: corev1.Toleration, t: corev1.Toleration): boolean {
  if (ss.key !== t.key && !(!ss.key && ss.operator === 'Exists')) return false;
  if (ss.effect && ss.effect !== t.effect) return false;
  if (ss.effect === 'NoExecute' && ss.tolerationSeconds !== undefined && (t.tolerationSeconds === undefined || t.tolerationSeconds > ss.tolerationSeconds)) return false;
  if (ss.operator === 'Exists') return true;
  return (t.operator ?? 'Equal') === 'Equal' && (ss.value ?? '') === (t.value ?? '');
}

const isBestEffort = (pod: corev1.Pod) =>
  [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].every((c) => !Object.keys(c.resources?.requests ?? {}).length && !Object.keys(c.resources?.limits ?? {}).length);

export function newPodTolerationRestriction(opts: { reader: ObjectReader; config?: PodTolerationRestrictionConfig }): AdmissionPlugin {
  async function annotation(attrs: AdmissionAttributes, key: string): Promise<corev1.Toleration[] | undefined> {
    const ns = await opts.reader.get({ group: '', resource: 'namespaces' }, '', attrs.namespace);
    const text = ns?.metadata?.annotations?.[key];
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as corev1.Toleration[];
    } catch (err) {
      throw newAdmissionForbidden(attrs, `failed to parse annotation ${key} of namespace ${attrs.namespace}: ${(err as Error).message}`);
    }
  }
  const podOf = (attrs: AdmissionAttributes) => (attrs.resource.group === '' && attrs.resource.resource === 'pods' && attrs.subresource === '' && attrs.object ? (attrs.object as corev1.Pod) : undefined);
  return {
    name: podTolerationRestrictionPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      const pod = podOf(attrs);
      if (!pod) return;
      const extra: corev1.Toleration[] = [];
      if (attrs.operation === 'CREATE') extra.push(...((await annotation(attrs, defaultTolerationsAnnotation)) ?? opts.config?.default ?? []));
      if (!isBestEffort(pod)) extra.push({ key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' });
      const spec = (pod.spec ??= { containers: [] });
      for (const t of extra) {
        if (!(spec.tolerations ?? []).some((have) => isSuperset(have, t))) (spec.tolerations ??= []).push(t);
      }
    },
    async validate(attrs) {
      const pod = podOf(attrs);
      if (!pod?.spec?.tolerations?.length) return;
      const whitelist = (await annotation(attrs, whitelistAnnotation)) ?? opts.config?.whitelist;
      if (!whitelist?.length) return;
      if (pod.spec.tolerations.every((t) => whitelist.some((w) => isSuperset(w, t)))) return;
      // Upstream returns a plain error here, which the apiserver answers as a 500 with the bare message.
      throw new StatusError({ code: 500, reason: '', message: 'pod tolerations (possibly merged with namespace default tolerations) conflict with its namespace whitelist' });
    },
  };
}
