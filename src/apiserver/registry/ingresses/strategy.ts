// Ingresses (upstream pkg/registry/networking/ingress): `status.loadBalancer` reset, generation, and the
// path rules older manifests trip over: every HTTP path needs a supported pathType and a backend.

import { invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject, asObjectList } from '../object-paths.js';
import { statusStrategy } from '../spec-status.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(backend: Record<string, unknown> | undefined, path: string): FieldError[] {
  if (!backend) return [required(path)];
  const service = asObject(backend.service);
  if (service && backend.resource) return [invalid(path, backend, 'cannot set both service and resource backends')];
  if (!service && !backend.resource) return [invalid(path, backend, 'one backend must be specified')];
  if (service) {
    const port = asObject(service.port) ?? {};
    if (port.name && port.number) return [invalid(`${path}.service.port`, port, 'cannot set both port name & port number')];
    if (!port.name && !port.number) return [required(`${path}.service.port`, 'port name or number is required')];
  }
  return [];
}

function validateIngress(obj: APIObject): FieldError[] {
  const spec = asObject(obj.spec) ?? {};
  const errs: FieldError[] = [];
  const rules = asObjectList(spec.rules);
  if (rules.length === 0 && !spec.defaultBackend) errs.push(invalid('spec', spec, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateBackend(asObject(spec.defaultBackend), 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    asObjectList(asObject(rule.http)?.paths).forEach((p, j) => {
      const at = `spec.rules[${i}].http.paths[${j}]`;
      if (p.pathType === undefined) errs.push(required(`${at}.pathType`, 'pathType must be specified'));
      else if (!pathTypes.includes(p.pathType as string)) errs.push(notSupported(`${at}.pathType`, p.pathType, pathTypes));
      if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !(typeof p.path === 'string' && p.path.startsWith('/'))) {
        errs.push(invalid(`${at}.path`, p.path ?? '', "must be an absolute path"));
      }
      errs.push(...validateBackend(asObject(p.backend), `${at}.backend`));
    });
  });
  return errs;
}

const base = statusStrategy({ hasGeneration: true, initialStatus: () => ({ loadBalancer: {} }) });

export const ingressStrategy: ResourceStrategy = {
  ...base,
  validate: validateIngress,
  validateUpdate: validateIngress,
};
