import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testAttributes } from '../test-attributes.js';
import { newDenyServiceExternalIPs } from './deny-service-external-ips.js';

test('no new external IPs; keeping or removing old ones is fine', async () => {
  const plugin = newDenyServiceExternalIPs();
  const svc = (ips?: string[]) => ({ metadata: { name: 's' }, spec: { externalIPs: ips } });
  const cases = [
    { op: 'CREATE' as const, next: svc(), old: undefined, err: false },
    { op: 'CREATE' as const, next: svc(['1.2.3.4']), old: undefined, err: true },
    { op: 'UPDATE' as const, next: svc(['1.2.3.4']), old: svc(['1.2.3.4', '5.6.7.8']), err: false },
    { op: 'UPDATE' as const, next: svc(['9.9.9.9']), old: svc(['1.2.3.4']), err: true },
  ];
  for (const c of cases) {
    const run = plugin.validate!(testAttributes({ operation: c.op, kind: 'Service', resource: 'services', namespace: 'ns', object: c.next, oldObject: c.old }));
    if (c.err) await assert.rejects(run, { code: 403, message: 'services "s" is forbidden: use of external IPs is denied by admission control' });
    else await run;
  }
});
