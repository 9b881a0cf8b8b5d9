// Events (upstream pkg/registry/core/event): no status, no generation; the field selectors `kubectl describe`
// uses to find an object's events; an involved object's namespace must be the event's own.

import { invalid, type FieldError } from '../../../apimachinery/field-error.js';
import { readPath, stringField } from '../object-paths.js';
import type { ResourceStrategy } from '../strategy.js';

/** core/v1 Events. */
export const eventStrategy: ResourceStrategy = {
  hasStatusSubresource: false,
  hasGeneration: false,
  selectableFields: {
    'involvedObject.kind': stringField('involvedObject.kind'),
    'involvedObject.namespace': stringField('involvedObject.namespace'),
    'involvedObject.name': stringField('involvedObject.name'),
    'involvedObject.uid': stringField('involvedObject.uid'),
    'involvedObject.apiVersion': stringField('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': stringField('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': stringField('involvedObject.fieldPath'),
    reason: stringField('reason'),
    reportingComponent: stringField('reportingComponent'),
    source: stringField('source.component'),
    type: stringField('type'),
  },
  validate(obj): FieldError[] {
    const ns = readPath(obj, 'involvedObject.namespace');
    const own = obj.metadata?.namespace ?? '';
    if (typeof ns === 'string' && ns !== '' && ns !== own) {
      return [invalid('involvedObject.namespace', ns, 'does not match event.namespace')];
    }
    return [];
  },
};

/** events.k8s.io/v1 Events: the same objects seen through the newer field names. */
export const eventsV1Strategy: ResourceStrategy = {
  hasStatusSubresource: false,
  hasGeneration: false,
  selectableFields: {
    'regarding.kind': stringField('regarding.kind'),
    'regarding.namespace': stringField('regarding.namespace'),
    'regarding.name': stringField('regarding.name'),
    'regarding.uid': stringField('regarding.uid'),
    'regarding.apiVersion': stringField('regarding.apiVersion'),
    'regarding.resourceVersion': stringField('regarding.resourceVersion'),
    'regarding.fieldPath': stringField('regarding.fieldPath'),
    reason: stringField('reason'),
    reportingController: stringField('reportingController'),
    type: stringField('type'),
  },
  validate(obj): FieldError[] {
    const ns = readPath(obj, 'regarding.namespace');
    const own = obj.metadata?.namespace ?? '';
    if (typeof ns === 'string' && ns !== '' && ns !== own) {
      return [invalid('regarding.namespace', ns, 'does not match event.namespace')];
    }
    return [];
  },
};
