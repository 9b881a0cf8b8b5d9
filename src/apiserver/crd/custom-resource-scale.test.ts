import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customResourceScale } from './custom-resource-scale.js';

test('custom resource Scale: read from and written to the CRD scale paths', () => {
  const cases: Array<{ name: string; paths: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }; obj: Record<string, unknown>; want: unknown[]; after: unknown }> = [
    {
      name: 'usual paths',
      paths: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
      obj: { spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=x' } },
      want: [3, 2, 'app=x'],
      after: { spec: { replicas: 5 }, status: { replicas: 2, selector: 'app=x' } },
    },
    {
      name: 'nested paths, nothing set yet',
      paths: { specReplicasPath: '.spec.size.count', statusReplicasPath: '.status.ready' },
      obj: {},
      want: [0, 0, ''],
      after: { spec: { size: { count: 5 } } },
    },
  ];
  for (const c of cases) {
    const scale = customResourceScale(c.paths);
    const obj = { ...structuredClone(c.obj), metadata: { name: 'a', namespace: 'ns', uid: 'u', resourceVersion: '7', creationTimestamp: 't' } };
    const s = scale.toScale(obj, false) as { kind: string; apiVersion: string; metadata: Record<string, unknown>; spec: { replicas: number }; status: { replicas: number; selector: string } };
    assert.deepEqual([s.spec.replicas, s.status.replicas, s.status.selector], c.want, c.name);
    assert.equal(s.metadata.namespace, undefined, `${c.name}: cluster-scoped Scale has no namespace`);
    assert.deepEqual([s.kind, s.apiVersion, s.metadata.resourceVersion], ['Scale', 'autoscaling/v1', '7']);
    scale.setReplicas(obj, 5);
    const { metadata: _m, ...rest } = obj;
    assert.deepEqual(rest, c.after, c.name);
  }
});
