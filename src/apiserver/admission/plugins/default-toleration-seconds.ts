// DefaultTolerationSeconds (upstream plugin/pkg/admission/defaulttolerationseconds): pods tolerate the
// not-ready and unreachable NoExecute taints for 300 s unless they already say how long.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type { AdmissionPlugin } from '../interface.js';

export const defaultTolerationSecondsPluginName = 'DefaultTolerationSeconds';
export const taintNodeNotReady = 'node.kubernetes.io/not-ready';
export const taintNodeUnreachable = 'node.kubernetes.io/unreachable';

export interface DefaultTolerationSecondsOptions {
  /** --default-not-ready-toleration-seconds (default 300). */
  notReadySeconds?: number;
  /** --default-unreachable-toleration-seconds (default 300). */
  unreachableSeconds?: number;
}

/** A toleration without key tolerates every key; one without effect tolerates every effect. */
function tolerates(tolerations: readonly corev1.Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export function newDefaultTolerationSeconds(opts: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  const defaults: Array<[string, number]> = [
    [taintNodeNotReady, opts.notReadySeconds ?? 300],
    [taintNodeUnreachable, opts.unreachableSeconds ?? 300],
  ];
  return {
    name: defaultTolerationSecondsPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async admit(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'pods' || attrs.subresource !== '' || !attrs.object) return;
      const spec = ((attrs.object as corev1.Pod).spec ??= { containers: [] });
      const existing = spec.tolerations ?? [];
      const added = defaults
        .filter(([key]) => !tolerates(existing, key))
        .map(([key, seconds]): corev1.Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }));
      if (added.length) spec.tolerations = [...existing, ...added];
    },
  };
}
