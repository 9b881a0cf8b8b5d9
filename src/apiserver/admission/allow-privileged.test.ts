import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newAllowPrivileged } from './allow-privileged.js';
import { testAttributes } from './test-attributes.js';

const privileged = { name: 'c', securityContext: { privileged: true } };

test('--allow-privileged=false refuses privileged containers in pods and templates, as pod validation does upstream', async () => {
  const deny = newAllowPrivileged(false);
  const cases = [
    { w: { kind: 'Pod', resource: 'pods', object: { metadata: { name: 'p' }, spec: { containers: [{ name: 'ok' }, privileged] } } }, err: 'Pod "p" is invalid: spec.containers[1].securityContext.privileged: Forbidden: disallowed by cluster policy' },
    { w: { kind: 'Pod', resource: 'pods', object: { metadata: { name: 'p' }, spec: { initContainers: [privileged], containers: [{ name: 'ok' }] } } }, err: 'Pod "p" is invalid: spec.initContainers[0].securityContext.privileged: Forbidden: disallowed by cluster policy' },
    {
      w: { group: 'apps', kind: 'Deployment', resource: 'deployments', object: { metadata: { name: 'd' }, spec: { template: { spec: { containers: [privileged] } } } } },
      err: 'Deployment.apps "d" is invalid: spec.template.spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy',
    },
    {
      w: { group: 'batch', kind: 'CronJob', resource: 'cronjobs', object: { metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [privileged] } } } } } } },
      err: 'CronJob.batch "cj" is invalid: spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged: Forbidden: disallowed by cluster policy',
    },
    { w: { kind: 'Pod', resource: 'pods', object: { metadata: { name: 'p' }, spec: { containers: [{ name: 'ok', securityContext: { privileged: false } }] } } }, err: undefined },
  ];
  for (const c of cases) {
    const attrs = testAttributes({ namespace: 'ns', ...c.w });
    if (c.err) await assert.rejects(deny.validate!(attrs), { code: 422, message: c.err });
    else await deny.validate!(attrs);
  }
  assert.equal(newAllowPrivileged(true).handles('CREATE'), false);
});
