// Nodes (upstream pkg/registry/core/node): the kubelet registers a Node WITH its status, so create keeps
// status; later spec updates keep the stored status; `spec.unschedulable` is selectable (kubectl drain).

import { forbidden, type FieldError } from '../../../apimachinery/field-error.js';
import { boolField, equalJSON, readPath } from '../object-paths.js';
import { keepStatus } from '../spec-status.js';
import type { ResourceStrategy } from '../strategy.js';

export const nodeStrategy: ResourceStrategy = {
  hasStatusSubresource: true,
  hasGeneration: false,
  selectableFields: { 'spec.unschedulable': boolField('spec.unschedulable') },
  prepareForCreate(obj) {
    // Unlike other kinds, the status sent on create is kept (the kubelet reports capacity and addresses
    // with its registration). Only the deprecated dynamic-config source is dropped, as upstream.
    const spec = obj.spec as Record<string, unknown> | undefined;
    if (spec) delete spec.configSource;
  },
  prepareForUpdate(obj, old) {
    keepStatus(obj, old);
  },
  validateUpdate(obj, old): FieldError[] {
    // podCIDRs are assigned once (by the node IPAM controller or the kubelet) and then fixed.
    const oldCIDRs = readPath(old, 'spec.podCIDRs');
    const errs: FieldError[] = [];
    if (Array.isArray(oldCIDRs) && oldCIDRs.length > 0 && !equalJSON(readPath(obj, 'spec.podCIDRs'), oldCIDRs)) {
      errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    const oldProvider = readPath(old, 'spec.providerID');
    if (typeof oldProvider === 'string' && oldProvider !== '' && readPath(obj, 'spec.providerID') !== oldProvider) {
      errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
    return errs;
  },
};
