// Nodes (upstream pkg/registry/core/node): the kubelet registers a Node WITH its status, so create keeps
// status; later spec updates keep the stored status; `spec.unschedulable` is selectable (kubectl drain).

import { boolField } from '../object-paths.js';
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
};
