import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps-v1.js';
import type { Defaulter, JSONObject } from './fields.js';

/** A body real kubectl 1.32 sent (`kubectl create … -o json`), recorded under src/api/testdata/protobuf. */
function kubectlBody(name: string): JSONObject {
  return JSON.parse(readFileSync(new URL(`../testdata/protobuf/${name}.kubectl.json`, import.meta.url), 'utf8')) as JSONObject;
}

const podSpecDefaults = {
  dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {},
  terminationGracePeriodSeconds: 30,
};
const containerDefaults = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' };
const template = (labels: Record<string, string>, image = 'nginx:1.27'): JSONObject => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image }] },
});
const defaultedTemplate = (labels: Record<string, string>, image = 'nginx:1.27', pullPolicy = 'IfNotPresent'): JSONObject => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image, imagePullPolicy: pullPolicy, ...containerDefaults }], ...podSpecDefaults },
});

test('apps/v1 defaults as a real cluster shows them', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; obj: JSONObject; wantSpec: JSONObject }> = [
    {
      name: 'kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80',
      defaulter: defaultDeployment,
      obj: kubectlBody('deployment'),
      wantSpec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'web' } },
          spec: {
            containers: [{
              name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {},
              imagePullPolicy: 'IfNotPresent', ...containerDefaults,
            }],
            ...podSpecDefaults,
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
    },
    {
      name: 'replicas 0 is a choice',
      defaulter: defaultDeployment,
      obj: { spec: { replicas: 0, progressDeadlineSeconds: 0, strategy: {}, template: template({ app: 'idle' }) } },
      wantSpec: {
        replicas: 0, progressDeadlineSeconds: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        template: defaultedTemplate({ app: 'idle' }), revisionHistoryLimit: 10,
      },
    },
    {
      name: 'Deployment without replicas, Recreate',
      defaulter: defaultDeployment,
      obj: { spec: { selector: { matchLabels: { app: 'db' } }, strategy: { type: 'Recreate' }, template: template({ app: 'db' }, 'postgres') } },
      wantSpec: {
        replicas: 1, selector: { matchLabels: { app: 'db' } }, strategy: { type: 'Recreate' },
        template: defaultedTemplate({ app: 'db' }, 'postgres', 'Always'), revisionHistoryLimit: 10, progressDeadlineSeconds: 600,
      },
    },
    {
      name: 'Deployment keeps half-given rolling update parameters',
      defaulter: defaultDeployment,
      obj: { spec: { replicas: 2, revisionHistoryLimit: 0, strategy: { rollingUpdate: { maxSurge: 1 } }, template: template({ a: 'b' }) } },
      wantSpec: {
        replicas: 2, revisionHistoryLimit: 0, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
        template: defaultedTemplate({ a: 'b' }), progressDeadlineSeconds: 600,
      },
    },
    {
      // The StatefulSet of the Kubernetes tutorial, with a claim template.
      name: 'StatefulSet web',
      defaulter: defaultStatefulSet,
      obj: {
        spec: {
          serviceName: 'nginx', replicas: 3, selector: { matchLabels: { app: 'nginx' } }, template: template({ app: 'nginx' }),
          volumeClaimTemplates: [{
            metadata: { name: 'www' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          }],
        },
      },
      wantSpec: {
        serviceName: 'nginx', replicas: 3, selector: { matchLabels: { app: 'nginx' } }, template: defaultedTemplate({ app: 'nginx' }),
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        revisionHistoryLimit: 10,
        volumeClaimTemplates: [{
          metadata: { name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
          status: { phase: 'Pending' },
        }],
      },
    },
    {
      name: 'StatefulSet with an explicit RollingUpdate type gets no partition',
      defaulter: defaultStatefulSet,
      obj: { spec: { updateStrategy: { type: 'RollingUpdate' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' }, template: template({ a: 'b' }) } },
      wantSpec: {
        updateStrategy: { type: 'RollingUpdate' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
        podManagementPolicy: 'OrderedReady', replicas: 1, revisionHistoryLimit: 10, template: defaultedTemplate({ a: 'b' }),
      },
    },
    {
      name: 'DaemonSet',
      defaulter: defaultDaemonSet,
      obj: { spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }) } },
      wantSpec: {
        selector: { matchLabels: { app: 'agent' } }, template: defaultedTemplate({ app: 'agent' }),
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10,
      },
    },
    {
      name: 'DaemonSet OnDelete',
      defaulter: defaultDaemonSet,
      obj: { spec: { updateStrategy: { type: 'OnDelete' }, template: template({ app: 'agent' }) } },
      wantSpec: { updateStrategy: { type: 'OnDelete' }, template: defaultedTemplate({ app: 'agent' }), revisionHistoryLimit: 10 },
    },
    {
      name: 'ReplicaSet',
      defaulter: defaultReplicaSet,
      obj: { spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) } },
      wantSpec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: defaultedTemplate({ app: 'web' }) },
    },
  ];
  for (const c of cases) {
    c.defaulter(c.obj, { now: () => 0 });
    assert.deepEqual(c.obj.spec, c.wantSpec, c.name);
  }
});
