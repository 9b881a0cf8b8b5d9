// Test builders for nodes and pods (upstream's st.MakeNode()/st.MakePod() wrappers, as plain functions
// taking option objects), shared by the scheduler's unit tests.
import type { Container, Node, Pod, Taint, Toleration } from '../../api/generated/core/v1.js';

export interface NodeOptions {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  /** Extra allocatable resources, e.g. {"example.com/gpu": "2"}. */
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: Array<{ names: string[]; sizeBytes: number }>;
}

export function makeNode(o: NodeOptions): Node {
  const allocatable: Record<string, string> = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...o.extra };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: o.name, labels: o.labels },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { allocatable, capacity: allocatable, images: o.images },
  };
}

export interface PodOptions {
  name?: string;
  namespace?: string;
  uid?: string;
  /** Requests of the single container (omit for a best-effort pod). */
  requests?: Record<string, string>;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Pod['spec'] extends infer S ? (S extends { affinity?: infer A } ? A : never) : never;
  tolerations?: Toleration[];
  hostPorts?: Array<{ port: number; protocol?: string; ip?: string }>;
  priority?: number;
  schedulerName?: string;
  schedulingGates?: string[];
  image?: string;
}

let uidCounter = 0;

export function makePod(o: PodOptions = {}): Pod {
  const name = o.name ?? 'p';
  const containers: Container[] = o.containers ?? [
    {
      name: 'c',
      image: o.image ?? 'registry.k8s.io/pause:3.10',
      resources: o.requests ? { requests: o.requests } : undefined,
      ports: o.hostPorts?.map((p) => ({ containerPort: p.port, hostPort: p.port, protocol: p.protocol, hostIP: p.ip })),
    },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: o.uid ?? `uid-${name}-${uidCounter++}` },
    spec: {
      containers,
      initContainers: o.initContainers,
      overhead: o.overhead,
      nodeName: o.nodeName,
      nodeSelector: o.nodeSelector,
      affinity: o.affinity,
      tolerations: o.tolerations,
      priority: o.priority,
      schedulerName: o.schedulerName ?? 'default-scheduler',
      schedulingGates: o.schedulingGates?.map((g) => ({ name: g })),
    },
  };
}
