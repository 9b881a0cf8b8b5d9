// TaintNodesByCondition (upstream plugin/pkg/admission/nodetaint): a Node is created with the
// node.kubernetes.io/not-ready:NoSchedule taint, so nothing lands on it before the node lifecycle
// controller has seen it Ready and removed the taint.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type { AdmissionPlugin } from '../interface.js';
import { taintNodeNotReady } from './default-toleration-seconds.js';

export const taintNodesByConditionPluginName = 'TaintNodesByCondition';

export function newTaintNodesByCondition(): AdmissionPlugin {
  return {
    name: taintNodesByConditionPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      if (attrs.resource.group !== '' || attrs.resource.resource !== 'nodes' || attrs.subresource !== '' || !attrs.object) return;
      const spec = ((attrs.object as corev1.Node).spec ??= {});
      // A taint matches on key and effect; its value does not matter.
      if (spec.taints?.some((t) => t.key === taintNodeNotReady && t.effect === 'NoSchedule')) return;
      spec.taints = [...(spec.taints ?? []), { key: taintNodeNotReady, effect: 'NoSchedule' }];
    },
  };
}
