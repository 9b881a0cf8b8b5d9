// PodTemplates (upstream ValidatePodTemplate): the template's labels, annotations and pod spec, checked as a
// pod's are; no restart-policy restriction (that belongs to the workload owning a template).

import type { FieldError } from '../../../apimachinery/field-error.js';
import { validateAnnotations, validateLabels } from '../../../apimachinery/validation/object-meta.js';
import { asObject } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';
import { validatePodSpec } from './validation.js';

function validatePodTemplate(obj: APIObject): FieldError[] {
  const template = asObject(obj.template) ?? {};
  const meta = asObject(template.metadata) ?? {};
  return [
    ...validateLabels((asObject(meta.labels) ?? {}) as Record<string, string>, 'template.metadata.labels'),
    ...validateAnnotations((asObject(meta.annotations) ?? {}) as Record<string, string>, 'template.metadata.annotations'),
    ...validatePodSpec(template.spec ?? {}, 'template.spec'),
  ];
}

export const podTemplateStrategy: ResourceStrategy = {
  validate: validatePodTemplate,
  validateUpdate: validatePodTemplate,
};
