// Table tests for the pods table: READY, STATUS (init containers, sidecars, waiting and terminated
// reasons, Completed, Terminating, NodeLost), RESTARTS with the last restart's age, and -o wide cells.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ContainerStatus, Pod } from '../../api/generated/core/v1.js';
import { podPrinter } from './pod-printer.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const ago = (seconds: number): string => new Date(now - seconds * 1000).toISOString().replace('.000Z', 'Z');

const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  ready: true,
  restartCount: 0,
  image: 'nginx',
  imageID: '',
  state: { running: { startedAt: ago(60) } },
  ...extra,
});
const waiting = (name: string, reason: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'nginx',
  imageID: '',
  state: { waiting: { reason } },
  ...extra,
});
const terminated = (name: string, exitCode: number, reason?: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  ready: false,
  restartCount: 0,
  image: 'nginx',
  imageID: '',
  state: { terminated: { exitCode, reason } },
  ...extra,
});

function pod(p: { containers?: string[]; init?: Array<{ name: string; sidecar?: boolean }>; status?: Pod['status']; deleting?: boolean; spec?: Partial<Pod['spec']> }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-1',
      namespace: 'default',
      creationTimestamp: ago(300),
      ...(p.deleting ? { deletionTimestamp: ago(5) } : {}),
    },
    spec: {
      containers: (p.containers ?? ['app']).map((name) => ({ name, image: 'nginx' })),
      initContainers: p.init?.map((c) => ({ name: c.name, image: 'busybox', ...(c.sidecar ? { restartPolicy: 'Always' } : {}) })),
      ...p.spec,
    },
    status: p.status ?? {},
  };
}

test('pods: READY, STATUS, RESTARTS and AGE as upstream derives them', () => {
  const cases: Array<{ name: string; pod: Pod; want: [ready: string, status: string, restarts: string] }> = [
    { name: 'pending, no statuses yet', pod: pod({ status: { phase: 'Pending' } }), want: ['0/1', 'Pending', '0'] },
    {
      name: 'running and ready',
      pod: pod({ status: { phase: 'Running', containerStatuses: [running('app')] } }),
      want: ['1/1', 'Running', '0'],
    },
    {
      name: 'image pull backoff shows the waiting reason',
      pod: pod({ status: { phase: 'Pending', containerStatuses: [waiting('app', 'ImagePullBackOff')] } }),
      want: ['0/1', 'ImagePullBackOff', '0'],
    },
    {
      name: 'crash loop counts restarts with the last termination age',
      pod: pod({
        status: {
          phase: 'Running',
          containerStatuses: [waiting('app', 'CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } })],
        },
      }),
      want: ['0/1', 'CrashLoopBackOff', '4 (90s ago)'],
    },
    {
      name: 'two of three containers ready',
      pod: pod({ containers: ['a', 'b', 'c'], status: { phase: 'Running', containerStatuses: [running('a'), running('b'), running('c', { ready: false })] } }),
      want: ['2/3', 'Running', '0'],
    },
    {
      name: 'terminated with a reason',
      pod: pod({ status: { phase: 'Failed', containerStatuses: [terminated('app', 137, 'OOMKilled')] } }),
      want: ['0/1', 'OOMKilled', '0'],
    },
    {
      name: 'terminated without reason: exit code',
      pod: pod({ status: { phase: 'Failed', containerStatuses: [terminated('app', 3)] } }),
      want: ['0/1', 'ExitCode:3', '0'],
    },
    {
      name: 'terminated by a signal',
      pod: pod({ status: { phase: 'Failed', containerStatuses: [{ ...terminated('app', 0), state: { terminated: { exitCode: 0, signal: 9 } } }] } }),
      want: ['0/1', 'Signal:9', '0'],
    },
    {
      name: 'succeeded pod shows Completed',
      pod: pod({ status: { phase: 'Succeeded', containerStatuses: [terminated('app', 0, 'Completed')] } }),
      want: ['0/1', 'Completed', '0'],
    },
    {
      name: 'Completed with a running ready container and Ready condition is Running',
      pod: pod({
        containers: ['a', 'b'],
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [running('a'), terminated('b', 0, 'Completed')],
        },
      }),
      want: ['1/2', 'Running', '0'],
    },
    {
      name: 'Completed with a running container but no Ready condition is NotReady',
      pod: pod({ containers: ['a', 'b'], status: { phase: 'Running', containerStatuses: [running('a'), terminated('b', 0, 'Completed')] } }),
      want: ['1/2', 'NotReady', '0'],
    },
    {
      name: 'Completed but another container failed shows the error',
      pod: pod({ containers: ['a', 'b'], status: { phase: 'Running', containerStatuses: [terminated('a', 2, 'Error'), terminated('b', 0, 'Completed')] } }),
      want: ['0/2', 'Error', '0'],
    },
    {
      name: 'init containers in progress: Init:i/n',
      pod: pod({
        init: [{ name: 'i1' }, { name: 'i2' }],
        status: { phase: 'Pending', initContainerStatuses: [terminated('i1', 0, 'Completed'), running('i2', { ready: false })] },
      }),
      want: ['0/1', 'Init:1/2', '0'],
    },
    {
      name: 'init container crash loop',
      pod: pod({ init: [{ name: 'i1' }], status: { phase: 'Pending', initContainerStatuses: [waiting('i1', 'CrashLoopBackOff', { restartCount: 2 })] } }),
      want: ['0/1', 'Init:CrashLoopBackOff', '2'],
    },
    {
      name: 'init container waiting in PodInitializing counts as progress',
      pod: pod({ init: [{ name: 'i1' }], status: { phase: 'Pending', initContainerStatuses: [waiting('i1', 'PodInitializing')] } }),
      want: ['0/1', 'Init:0/1', '0'],
    },
    {
      name: 'init container failed with exit code',
      pod: pod({ init: [{ name: 'i1' }], status: { phase: 'Pending', initContainerStatuses: [terminated('i1', 1)] } }),
      want: ['0/1', 'Init:ExitCode:1', '0'],
    },
    {
      name: 'init container failed with reason',
      pod: pod({ init: [{ name: 'i1' }], status: { phase: 'Failed', initContainerStatuses: [terminated('i1', 1, 'Error')] } }),
      want: ['0/1', 'Init:Error', '0'],
    },
    {
      name: 'started sidecar counts as a ready container, restarts kept',
      pod: pod({
        init: [{ name: 'proxy', sidecar: true }],
        status: {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [running('proxy', { started: true, restartCount: 1 })],
          containerStatuses: [running('app')],
        },
      }),
      want: ['2/2', 'Running', '1'],
    },
    {
      name: 'scheduling gated',
      pod: pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }),
      want: ['0/1', 'SchedulingGated', '0'],
    },
    {
      name: 'status.reason wins over phase',
      pod: pod({ status: { phase: 'Failed', reason: 'Evicted' } }),
      want: ['0/1', 'Evicted', '0'],
    },
    {
      name: 'deleting a running pod: Terminating',
      pod: pod({ deleting: true, status: { phase: 'Running', containerStatuses: [running('app')] } }),
      want: ['1/1', 'Terminating', '0'],
    },
    {
      name: 'deleting a finished pod keeps its status',
      pod: pod({ deleting: true, status: { phase: 'Succeeded', containerStatuses: [terminated('app', 0, 'Completed')] } }),
      want: ['0/1', 'Completed', '0'],
    },
    {
      name: 'deleting a pod of a lost node: Unknown',
      pod: pod({ deleting: true, status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [running('app')] } }),
      want: ['1/1', 'Unknown', '0'],
    },
    {
      name: 'NodeLost without deletion shows the reason',
      pod: pod({ status: { phase: 'Running', reason: 'NodeLost' } }),
      want: ['0/1', 'NodeLost', '0'],
    },
  ];
  for (const c of cases) {
    const { cells } = podPrinter.printRow(c.pod as never, now);
    assert.deepEqual(cells.slice(1, 4), c.want, c.name);
    assert.equal(cells[0], 'web-1', c.name);
    assert.equal(cells[4], '5m', c.name);
  }
});

test('pods: -o wide cells and Completed row conditions', () => {
  const p = pod({
    spec: { nodeName: 'node-a', readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y/ready' }] },
    status: {
      phase: 'Succeeded',
      podIPs: [{ ip: '10.0.0.7' }, { ip: 'fd00::7' }],
      nominatedNodeName: 'node-b',
      conditions: [{ type: 'x/ready', status: 'True' }, { type: 'y/ready', status: 'False' }],
    },
  });
  const row = podPrinter.printRow(p as never, now);
  assert.deepEqual(row.cells.slice(5), ['10.0.0.7', 'node-a', 'node-b', '1/2']);
  assert.deepEqual(row.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);

  const bare = podPrinter.printRow(pod({ status: { phase: 'Failed' } }) as never, now);
  assert.deepEqual(bare.cells.slice(5), ['<none>', '<none>', '<none>', '<none>']);
  assert.equal(bare.conditions?.[0].reason, 'Failed');
  assert.equal(podPrinter.printRow(pod({ status: { phase: 'Running' } }) as never, now).conditions, undefined);
});

test('pods: column definitions match upstream names, types and priorities', () => {
  assert.deepEqual(
    podPrinter.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
});
