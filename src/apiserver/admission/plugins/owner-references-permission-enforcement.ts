// OwnerReferencesPermissionEnforcement (upstream plugin/pkg/admission/gc): changing an object's
// ownerReferences takes permission to delete the object, and setting blockOwnerDeletion on a reference takes
// permission to update the owner's finalizers, so nobody can hold up a deletion they could not do themselves.

import type * as metav1 from '../../../api/generated/meta/v1.js';
import type { Authorizer } from '../../authorization/interface.js';
import type { Registries } from '../../registry/generic/registries.js';
import type { APIObject } from '../../registry/strategy.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionPlugin } from '../interface.js';

export const ownerReferencesPermissionEnforcementPluginName = 'OwnerReferencesPermissionEnforcement';

const refsOf = (o: APIObject | undefined) => ((o?.metadata as metav1.ObjectMeta | undefined)?.ownerReferences ?? []) as metav1.OwnerReference[];
const sameRef = (a: metav1.OwnerReference, b: metav1.OwnerReference) => JSON.stringify(a) === JSON.stringify(b);

/** References that newly block their owner's deletion (new ones, or ones that did not block before). */
function newBlockingRefs(next: metav1.OwnerReference[], old: metav1.OwnerReference[]): metav1.OwnerReference[] {
  return next.filter((r) => r.blockOwnerDeletion && !old.some((o) => o.uid === r.uid && o.blockOwnerDeletion));
}

export function newOwnerReferencesPermissionEnforcement(opts: { authorizer: Authorizer; registries: Registries }): AdmissionPlugin {
  return {
    name: ownerReferencesPermissionEnforcementPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs) {
      const next = refsOf(attrs.object);
      const old = refsOf(attrs.oldObject);
      if (next.length === old.length && next.every((r, i) => sameRef(r, old[i]))) return;
      const base = { user: attrs.user, isResourceRequest: true, path: '', namespace: attrs.namespace, apiVersion: attrs.resource.version };
      const canDelete = await opts.authorizer.authorize({ ...base, verb: 'delete', apiGroup: attrs.resource.group, resource: attrs.resource.resource, subresource: attrs.subresource, name: attrs.name });
      if (canDelete.decision !== 'allow') throw newAdmissionForbidden(attrs, `cannot set an ownerRef on a resource you can't delete: ${canDelete.reason}, <nil>`);
      for (const ref of newBlockingRefs(next, old)) {
        const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
        const owner = opts.registries.all().find((r) => r.resource.group === group && r.resource.version === version && r.resource.kind === ref.kind);
        if (!owner) {
          throw newAdmissionForbidden(attrs, `cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion ${ref.apiVersion} Kind ${ref.kind}: no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
        }
        const canFinalize = await opts.authorizer.authorize({
          ...base,
          verb: 'update',
          apiGroup: group,
          apiVersion: version,
          resource: owner.resource.plural,
          subresource: 'finalizers',
          name: ref.name,
          namespace: owner.resource.namespaced ? attrs.namespace : '',
        });
        if (canFinalize.decision !== 'allow') {
          throw newAdmissionForbidden(attrs, `cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: ${canFinalize.reason}, <nil>`);
        }
      }
    },
  };
}
