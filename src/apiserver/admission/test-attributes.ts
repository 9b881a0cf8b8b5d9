// AdmissionAttributes for plugin unit tests and benchmarks: one write described by its resource and objects.

import { unsecuredUser, type UserInfo } from '../authentication/interface.js';
import type { APIObject } from '../registry/strategy.js';
import type { AdmissionAttributes, Operation } from './interface.js';

export interface TestWrite {
  operation?: Operation;
  group?: string;
  version?: string;
  kind: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  object?: APIObject;
  oldObject?: APIObject;
  user?: UserInfo;
  dryRun?: boolean;
}

/** The attributes of `w`; CREATE by default; warnings go to `warnings` when given. */
export function testAttributes(w: TestWrite, warnings?: string[]): AdmissionAttributes {
  const group = w.group ?? '';
  const version = w.version ?? 'v1';
  return {
    operation: w.operation ?? 'CREATE',
    kind: { group, version, kind: w.kind },
    resource: { group, version, resource: w.resource },
    subresource: w.subresource ?? '',
    namespace: w.namespace ?? '',
    name: w.name ?? w.object?.metadata?.name ?? w.oldObject?.metadata?.name ?? '',
    object: w.object,
    oldObject: w.oldObject,
    user: w.user ?? unsecuredUser,
    dryRun: w.dryRun ?? false,
    addWarning: warnings ? (t) => void warnings.push(t) : undefined,
  };
}
