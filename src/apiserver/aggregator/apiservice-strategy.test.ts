import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAPIService } from './apiservice-strategy.js';

test('validateAPIService: upstream rules and messages', () => {
  const remote = { namespace: 'm', name: 'api', port: 443 };
  const obj = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name }, spec });
  const base = { group: 'metrics.k8s.io', version: 'v1beta1', groupPriorityMinimum: 100, versionPriority: 100 };
  const cases: Array<{ name: string; obj: ReturnType<typeof obj>; want: string[] }> = [
    { name: 'local', obj: obj('v1beta1.metrics.k8s.io', base), want: [] },
    { name: 'core group', obj: obj('v1.', { version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 }), want: [] },
    { name: 'remote with caBundle', obj: obj('v1beta1.metrics.k8s.io', { ...base, service: remote, caBundle: 'Y2E=' }), want: [] },
    { name: 'name not version.group', obj: obj('metrics', base), want: ['metadata.name: Invalid value: "metrics": must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io"'] },
    { name: 'empty group, not v1', obj: obj('v2.', { ...base, group: '', version: 'v2' }), want: ['spec.group: Required value: only v1 may have an empty group and it better be legacy kube'] },
    {
      name: 'priorities out of range',
      obj: obj('v1beta1.metrics.k8s.io', { ...base, groupPriorityMinimum: 0, versionPriority: 1001 }),
      want: ['spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000', 'spec.versionPriority: Invalid value: 1001: must be positive and less than 1000'],
    },
    {
      name: 'local with TLS settings',
      obj: obj('v1beta1.metrics.k8s.io', { ...base, caBundle: 'Y2E=', insecureSkipTLSVerify: true }),
      want: ['spec.caBundle: Invalid value: "2 bytes": local APIServices may not have a caBundle', 'spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify'],
    },
    {
      name: 'remote without names, bad port, both TLS modes',
      obj: obj('v1beta1.metrics.k8s.io', { ...base, service: { port: 70000 }, caBundle: 'Y2E=', insecureSkipTLSVerify: true }),
      want: [
        'spec.service.namespace: Required value',
        'spec.service.name: Required value',
        'spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive',
        'spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present',
      ],
    },
  ];
  for (const c of cases) {
    const got = validateAPIService(c.obj as never).map((e) => `${e.field}: ${e.detail}`);
    assert.deepEqual(got, c.want, c.name);
  }
});
