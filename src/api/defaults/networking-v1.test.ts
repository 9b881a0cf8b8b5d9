import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Defaulter, JSONObject } from './fields.js';
import { defaultIngressClass, defaultNetworkPolicy } from './networking-v1.js';

test('networking.k8s.io/v1 defaults', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; spec: JSONObject; want: JSONObject }> = [
    {
      name: 'deny-all ingress policy',
      defaulter: defaultNetworkPolicy,
      spec: { podSelector: {} },
      want: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      name: 'egress rules make it an egress policy too; ports are TCP',
      defaulter: defaultNetworkPolicy,
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }],
        egress: [{ ports: [{ port: 5432 }] }],
      },
      want: {
        podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }],
        egress: [{ ports: [{ port: 5432, protocol: 'TCP' }] }],
      },
    },
    {
      name: 'explicit policy types stay',
      defaulter: defaultNetworkPolicy,
      spec: { podSelector: {}, policyTypes: ['Egress'] },
      want: { podSelector: {}, policyTypes: ['Egress'] },
    },
    {
      name: 'IngressClass parameters are cluster-scoped',
      defaulter: defaultIngressClass,
      spec: { controller: 'example.com/ingress', parameters: { kind: 'Config', name: 'c' } },
      want: { controller: 'example.com/ingress', parameters: { kind: 'Config', name: 'c', scope: 'Cluster' } },
    },
    {
      name: 'IngressClass without parameters',
      defaulter: defaultIngressClass,
      spec: { controller: 'k8s.io/ingress-nginx' },
      want: { controller: 'k8s.io/ingress-nginx' },
    },
  ];
  for (const c of cases) {
    const obj: JSONObject = { spec: c.spec };
    c.defaulter(obj, { now: () => 0 });
    assert.deepEqual(obj.spec, c.want, c.name);
  }
});
