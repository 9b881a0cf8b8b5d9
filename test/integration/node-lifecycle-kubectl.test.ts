// kubectl against the node lifecycle controller (in-process apiserver, real kubectl): `kubectl cordon`
// makes the controller add the node.kubernetes.io/unschedulable:NoSchedule taint, `kubectl uncordon`
// removes it; the not-ready taint TaintNodesByCondition put on the new node goes once it is Ready.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { metaTime } from '../../src/controller-manager/conditions.js';
import { nodesResource, type Node } from '../../src/controller-manager/controllers/nodelifecycle/node-lifecycle-controller.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';
import { writeKubeconfig } from '../harness/kubeconfig.js';
import { kubectl } from '../harness/kubectl.js';

test('kubectl cordon/uncordon toggles the unschedulable taint', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-cordon-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { client, cluster } = await startControllers(t, { controllers: ['nodelifecycle'] });
  const nodes = client.resource<Node>(nodesResource);
  const created = await nodes.create({ metadata: { name: 'n1' }, spec: {} });
  assert.ok(created.spec?.taints?.some((x) => x.key === 'node.kubernetes.io/not-ready'), 'TaintNodesByCondition admission');
  const now = metaTime(Date.now());
  await nodes.update({ ...created, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }] } }, { subresource: 'status' });
  const taintKeys = async () => ((await nodes.get('n1')).spec?.taints ?? []).map((x) => `${x.key}:${x.effect}`);
  await eventually(async () => (await taintKeys()).length === 0);

  const kubeconfig = join(dir, 'kubeconfig');
  await writeKubeconfig({ path: kubeconfig, server: `http://127.0.0.1:${cluster.server.insecurePort}` });
  const cordon = await kubectl({ version: '1.33', kubeconfig, args: ['cordon', 'n1'] });
  assert.equal(cordon.code, 0, cordon.stderr);
  assert.match(cordon.stdout, /node\/n1 cordoned/);
  await eventually(async () => (await taintKeys()).includes('node.kubernetes.io/unschedulable:NoSchedule'));
  const uncordon = await kubectl({ version: '1.33', kubeconfig, args: ['uncordon', 'n1'] });
  assert.equal(uncordon.code, 0, uncordon.stderr);
  await eventually(async () => (await taintKeys()).length === 0);
});
