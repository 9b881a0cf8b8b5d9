// Generic ObjectMeta validation for every resource (src/apimachinery/validation), with the name rule
// upstream uses for each kind: DNS-1123 subdomain unless listed here.

import { nameIsDNS1035Label, nameIsDNSSubdomain, validateNamespaceName, validatePathSegmentName, type ValidateNameFunc } from '../../../apimachinery/validation/name-validators.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../apimachinery/validation/object-meta.js';
import type { MetadataValidator } from './registry.js';

/** Kinds whose names follow another rule than DNS-1123 subdomain, by `group/plural`. */
const nameRules: Readonly<Record<string, ValidateNameFunc>> = {
  '/namespaces': validateNamespaceName,
  '/services': nameIsDNS1035Label,
  'rbac.authorization.k8s.io/roles': validatePathSegmentName,
  'rbac.authorization.k8s.io/rolebindings': validatePathSegmentName,
  'rbac.authorization.k8s.io/clusterroles': validatePathSegmentName,
  'rbac.authorization.k8s.io/clusterrolebindings': validatePathSegmentName,
  // `v1.` names the core group's APIService.
  'apiregistration.k8s.io/apiservices': validatePathSegmentName,
};

export const builtinMetadataValidator: MetadataValidator = {
  validateCreate(meta, opts) {
    const nameFn = nameRules[`${opts.group}/${opts.resource}`] ?? nameIsDNSSubdomain;
    return validateObjectMeta(meta, { namespaced: opts.namespaced, nameFn });
  },
  validateUpdate(meta, old) {
    return validateObjectMetaUpdate(meta, old);
  },
};
