// DefaultIngressClass (upstream plugin/pkg/admission/network/defaultingressclass): a new Ingress that names
// no class (neither spec.ingressClassName nor the kubernetes.io/ingress.class annotation) gets the IngressClass
// annotated ingressclass.kubernetes.io/is-default-class=true (the newest when several are).

import type * as networkingv1 from '../../../api/generated/networking/v1.js';
import type { AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { newestDefault } from './default-storage-class.js';

export const defaultIngressClassPluginName = 'DefaultIngressClass';

export function newDefaultIngressClass(opts: { reader: ObjectReader }): AdmissionPlugin {
  return {
    name: defaultIngressClassPluginName,
    handles: (op) => op === 'CREATE',
    async admit(attrs) {
      if (attrs.resource.group !== 'networking.k8s.io' || attrs.resource.resource !== 'ingresses' || attrs.subresource !== '' || !attrs.object) return;
      const ingress = attrs.object as networkingv1.Ingress;
      if (ingress.spec?.ingressClassName || ingress.metadata?.annotations?.['kubernetes.io/ingress.class'] !== undefined) return;
      const classes = await opts.reader.list({ group: 'networking.k8s.io', resource: 'ingressclasses' });
      const def = newestDefault(classes, ['ingressclass.kubernetes.io/is-default-class']);
      if (def?.metadata?.name) (ingress.spec ??= {}).ingressClassName = def.metadata.name;
    },
  };
}
