import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newDefaultIngressClass } from './default-ingress-class.js';

test('ingresses without a class get the default IngressClass; the annotation or a class name keeps them', async () => {
  const plugin = newDefaultIngressClass({
    reader: staticReader([
      { group: 'networking.k8s.io', resource: 'ingressclasses', obj: { metadata: { name: 'nginx', creationTimestamp: '2026-01-01T00:00:00Z', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } } },
      { group: 'networking.k8s.io', resource: 'ingressclasses', obj: { metadata: { name: 'traefik', creationTimestamp: '2026-03-01T00:00:00Z' } } },
    ]),
  });
  const cases = [
    { meta: {}, spec: {}, want: 'nginx' },
    { meta: {}, spec: { ingressClassName: 'traefik' }, want: 'traefik' },
    { meta: { annotations: { 'kubernetes.io/ingress.class': 'haproxy' } }, spec: {}, want: undefined },
  ];
  for (const c of cases) {
    const ing = { metadata: { name: 'web', ...c.meta }, spec: { ...c.spec } as { ingressClassName?: string } };
    await plugin.admit!(testAttributes({ group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses', namespace: 'ns', object: ing }));
    assert.equal(ing.spec.ingressClassName, c.want);
  }
});
