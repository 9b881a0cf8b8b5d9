// APIService validation (upstream kube-aggregator's apiregistration validation): the name is version.group,
// priorities are in range, a local APIService carries no TLS settings, a remote one names a Service and port.

import type { APIService } from '../../api/generated/apiregistration/v1.js';
import { invalid, required, type FieldError } from '../../apimachinery/field-error.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../apimachinery/validation/names.js';
import { statusStrategy } from '../registry/spec-status.js';
import type { APIObject, ResourceStrategy } from '../registry/strategy.js';

/** The field errors of an APIService, in upstream's order and words. */
export function validateAPIService(obj: APIObject): FieldError[] {
  const svc = obj as APIService;
  const spec = svc.spec ?? { groupPriorityMinimum: 0, versionPriority: 0 };
  const group = spec.group ?? '';
  const version = spec.version ?? '';
  const errs: FieldError[] = [];
  const requiredName = `${version}.${group}`;
  const name = svc.metadata?.name ?? '';
  if (name && name !== requiredName) errs.push(invalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: "${requiredName}"`));
  if (!group && version !== 'v1') errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group) for (const e of isDNS1123Subdomain(group)) errs.push(invalid('spec.group', group, e));
  for (const e of isDNS1035Label(version)) errs.push(invalid('spec.version', version, e));
  const groupPriority = spec.groupPriorityMinimum ?? 0;
  if (groupPriority <= 0 || groupPriority > 20000) errs.push(invalid('spec.groupPriorityMinimum', groupPriority, 'must be positive and less than 20000'));
  const versionPriority = spec.versionPriority ?? 0;
  if (versionPriority <= 0 || versionPriority > 1000) errs.push(invalid('spec.versionPriority', versionPriority, 'must be positive and less than 1000'));
  const caBundleBytes = spec.caBundle ? Buffer.from(spec.caBundle, 'base64').length : 0;
  if (!spec.service) {
    if (caBundleBytes) errs.push(invalid('spec.caBundle', `${caBundleBytes} bytes`, 'local APIServices may not have a caBundle'));
    if (spec.insecureSkipTLSVerify) errs.push(invalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return errs;
  }
  if (!spec.service.namespace) errs.push(required('spec.service.namespace'));
  if (!spec.service.name) errs.push(required('spec.service.name'));
  const port = spec.service.port ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) errs.push(invalid('spec.service.port', port, 'port is not valid: must be between 1 and 65535, inclusive'));
  if (spec.insecureSkipTLSVerify && caBundleBytes) errs.push(invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  return errs;
}

/** The apiservices strategy: spec/status split (the availability controller owns status), validation. */
export const apiServiceStrategy: ResourceStrategy = {
  ...statusStrategy({ hasGeneration: false }),
  validate: (obj) => validateAPIService(obj),
  validateUpdate: (obj) => validateAPIService(obj),
};
