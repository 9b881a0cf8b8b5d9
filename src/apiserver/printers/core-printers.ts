// Printers for the core (v1) kinds other than Pod: services, nodes, events, namespaces, config maps,
// secrets, service accounts, endpoints, volumes and claims, quotas, replication controllers, pod
// templates and component statuses. Columns and cells follow upstream pkg/printers/internalversion.

import type {
  ComponentStatus,
  ConfigMap,
  Endpoints,
  Event,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from '../../api/generated/core/v1.js';
import { containerCells, formatAccessModes, formatLabels } from './cell-formats.js';
import { parseTimestamp, timestampSince } from './human-duration.js';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, tablePrinter } from './table.js';

const none = '<none>';

// ---- Service ----

/** upstream loadBalancerStatusStringer with wide output (the server always prints wide): sorted, unique. */
export function loadBalancerIngresses(ingress: ReadonlyArray<{ ip?: string; hostname?: string }> | undefined): string[] {
  const seen = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) seen.add(i.ip);
    else if (i.hostname) seen.add(i.hostname);
  }
  return [...seen].sort();
}

/** The EXTERNAL-IP cell: external IPs, load balancer ingress, `<pending>`, or the ExternalName. */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const externalIPs = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : none;
    case 'LoadBalancer': {
      const lb = loadBalancerIngresses(svc.status?.loadBalancer?.ingress);
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** The PORT(S) cell: `80/TCP,443:30001/TCP`, or `<none>`. */
export function servicePorts(svc: Service): string {
  const text = (svc.spec?.ports ?? [])
    // Stored Services are defaulted; TCP is the default protocol should an undefaulted one get here.
    .map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol || 'TCP'}` : `${p.port}/${p.protocol || 'TCP'}`))
    .join(',');
  return text === '' ? none : text;
}

export const servicePrinter = tablePrinter<Service>(
  [
    nameColumn,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The virtual IP of the service inside the cluster.'),
    column('External-IP', 'string', 'External IPs or load balancer addresses.'),
    column('Port(s)', 'string', 'Service ports, with node ports, and protocols.'),
    ageColumn,
    column('Selector', 'string', 'Labels of the pods the service sends traffic to.', { priority: 1 }),
  ],
  (svc, now) => [
    svc.metadata?.name ?? '',
    svc.spec?.type ?? 'ClusterIP',
    svc.spec?.clusterIPs?.[0] ?? none,
    serviceExternalIP(svc),
    servicePorts(svc),
    timestampSince(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ],
);

// ---- Node ----

const nodeRolePrefix = 'node-role.kubernetes.io/';
const nodeRoleLabel = 'kubernetes.io/role';

/** Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` label value, sorted. */
export function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(nodeRolePrefix)) {
      const role = k.slice(nodeRolePrefix.length);
      if (role) roles.add(role);
    } else if (k === nodeRoleLabel && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

/** The STATUS cell: Ready / NotReady / Unknown, plus SchedulingDisabled for cordoned nodes. */
export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeAddress(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? none;
}

export const nodePrinter = tablePrinter<Node>(
  [
    nameColumn,
    column('Status', 'string', 'Readiness of the node, and whether new pods may be scheduled on it.'),
    column('Roles', 'string', 'Roles from the node-role.kubernetes.io/<role> labels.'),
    ageColumn,
    column('Version', 'string', 'Version of the kubelet on the node.'),
    column('Internal-IP', 'string', 'The first InternalIP address of the node.', { priority: 1 }),
    column('External-IP', 'string', 'The first ExternalIP address of the node.', { priority: 1 }),
    column('OS-Image', 'string', 'Operating system image of the node.', { priority: 1 }),
    column('Kernel-Version', 'string', 'Kernel version of the node.', { priority: 1 }),
    column('Container-Runtime', 'string', 'Container runtime name and version.', { priority: 1 }),
  ],
  (node, now) => {
    const info = node.status?.nodeInfo;
    const roles = nodeRoles(node.metadata?.labels);
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      roles.length > 0 ? roles.join(',') : none,
      timestampSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
);

// ---- Event ----

/** upstream formatEventSource: `component, host`, falling back to the reporting controller and instance. */
export function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host === '' ? component : `${component}, ${host}`;
}

export const eventPrinter = tablePrinter<Event>(
  [
    column('Last Seen', 'string', 'Time since the event was last observed.'),
    column('Type', 'string', 'Normal or Warning.'),
    column('Reason', 'string', 'Short machine-readable reason for the event.'),
    column('Object', 'string', 'The object the event is about, as kind/name.'),
    column('Subobject', 'string', 'The part of the object, e.g. spec.containers{web}.', { priority: 1 }),
    column('Source', 'string', 'The component (and host) that reported the event.', { priority: 1 }),
    column('Message', 'string', 'Human-readable description of the event.'),
    column('First Seen', 'string', 'Time since the event was first observed.', { priority: 1 }),
    column('Count', 'string', 'How many times the event was observed.', { priority: 1 }),
    column('Name', 'string', 'Name of the Event object.', { priority: 1, format: 'name' }),
  ],
  (ev, now) => {
    const firstTimestamp =
      parseTimestamp(ev.firstTimestamp) !== undefined ? timestampSince(ev.firstTimestamp, now) : timestampSince(ev.eventTime, now);
    let lastTimestamp = parseTimestamp(ev.lastTimestamp) !== undefined ? timestampSince(ev.lastTimestamp, now) : firstTimestamp;
    let count = ev.count ?? 0;
    if (ev.series) {
      lastTimestamp = timestampSince(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1; // singleton events written through events.k8s.io carry no count
    }
    const involved = ev.involvedObject ?? {};
    const kind = (involved.kind ?? '').toLowerCase();
    return [
      lastTimestamp,
      ev.type ?? '',
      ev.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      eventSource(ev),
      (ev.message ?? '').trim(),
      firstTimestamp,
      count,
      ev.metadata?.name ?? '',
    ];
  },
);

// ---- Namespace, ConfigMap, Secret, ServiceAccount ----

export const namespacePrinter = tablePrinter<Namespace>(
  [nameColumn, column('Status', 'string', 'Active or Terminating.'), ageColumn],
  (ns, now) => [ns.metadata?.name ?? '', ns.status?.phase ?? '', timestampSince(ns.metadata?.creationTimestamp, now)],
);

export const configMapPrinter = tablePrinter<ConfigMap>(
  [nameColumn, column('Data', 'string', 'Number of keys in data and binaryData.'), ageColumn],
  (cm, now) => [
    cm.metadata?.name ?? '',
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    timestampSince(cm.metadata?.creationTimestamp, now),
  ],
);

export const secretPrinter = tablePrinter<Secret>(
  [nameColumn, column('Type', 'string', 'Type of the secret, e.g. Opaque.'), column('Data', 'string', 'Number of keys in data.'), ageColumn],
  (secret, now) => [
    secret.metadata?.name ?? '',
    secret.type ?? '',
    Object.keys(secret.data ?? {}).length,
    timestampSince(secret.metadata?.creationTimestamp, now),
  ],
);

export const serviceAccountPrinter = tablePrinter<ServiceAccount>([nameColumn, ageColumn], (sa, now) => [
  sa.metadata?.name ?? '',
  timestampSince(sa.metadata?.creationTimestamp, now),
]);

// ---- Endpoints ----

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** upstream formatEndpoints (all ports): up to three `ip:port` entries, then " + N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return none;
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    const ports = ss.ports ?? [];
    if (ports.length === 0) {
      // headless services may have no ports
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const text = list.join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

export const endpointsPrinter = tablePrinter<Endpoints>(
  [nameColumn, column('Endpoints', 'string', 'Ready addresses with their ports.'), ageColumn],
  (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(ep), timestampSince(ep.metadata?.creationTimestamp, now)],
);

// ---- PersistentVolume, PersistentVolumeClaim ----

const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** A Quantity cell as upstream's Quantity.String() of a possibly missing value ("0"). */
function quantity(q: string | undefined): string {
  return q ?? '0';
}

export const persistentVolumePrinter = tablePrinter<PersistentVolume>(
  [
    nameColumn,
    column('Capacity', 'string', 'Storage capacity of the volume.'),
    column('Access Modes', 'string', 'Access modes: RWO, ROX, RWX, RWOP.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when its claim is released.'),
    column('Status', 'string', 'Phase of the volume: Available, Bound, Released, Failed (or Terminating).'),
    column('Claim', 'string', 'namespace/name of the claim bound to the volume.'),
    column('StorageClass', 'string', 'Storage class of the volume.'),
    column('VolumeAttributesClass', 'string', 'Volume attributes class of the volume.'),
    column('Reason', 'string', 'Reason for the current phase.'),
    ageColumn,
    column('VolumeMode', 'string', 'Filesystem or Block.', { priority: 1 }),
  ],
  (pv, now) => {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const deleting = parseTimestamp(pv.metadata?.deletionTimestamp) !== undefined;
    const storageClass = pv.metadata?.annotations?.[betaStorageClassAnnotation] ?? spec.storageClassName ?? '';
    return [
      pv.metadata?.name ?? '',
      quantity(spec.capacity?.storage),
      formatAccessModes(spec.accessModes),
      spec.persistentVolumeReclaimPolicy ?? '',
      deleting ? 'Terminating' : (pv.status?.phase ?? ''),
      claim,
      storageClass,
      spec.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      timestampSince(pv.metadata?.creationTimestamp, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
);

export const persistentVolumeClaimPrinter = tablePrinter<PersistentVolumeClaim>(
  [
    nameColumn,
    column('Status', 'string', 'Phase of the claim: Pending, Bound, Lost (or Terminating).'),
    column('Volume', 'string', 'Name of the volume bound to the claim.'),
    column('Capacity', 'string', 'Capacity of the bound volume.'),
    column('Access Modes', 'string', 'Access modes of the bound volume.'),
    column('StorageClass', 'string', 'Storage class requested by the claim.'),
    column('VolumeAttributesClass', 'string', 'Volume attributes class requested by the claim.'),
    ageColumn,
    column('VolumeMode', 'string', 'Filesystem or Block.', { priority: 1 }),
  ],
  (pvc, now) => {
    const spec = pvc.spec ?? {};
    const deleting = parseTimestamp(pvc.metadata?.deletionTimestamp) !== undefined;
    const bound = Boolean(spec.volumeName);
    const storageClass = pvc.metadata?.annotations?.[betaStorageClassAnnotation] ?? spec.storageClassName ?? '';
    return [
      pvc.metadata?.name ?? '',
      deleting ? 'Terminating' : (pvc.status?.phase ?? ''),
      spec.volumeName ?? '',
      bound ? quantity(pvc.status?.capacity?.storage) : '',
      bound ? formatAccessModes(pvc.status?.accessModes) : '',
      storageClass,
      spec.volumeAttributesClassName ?? '<unset>',
      timestampSince(pvc.metadata?.creationTimestamp, now),
      spec.volumeMode ?? '<unset>',
    ];
  },
);

// ---- ResourceQuota ----

/** REQUEST and LIMIT cells: `name: used/hard` per resource in status.hard, sorted; `limits.*` go to LIMIT. */
export function quotaCells(quota: ResourceQuota): [request: string, limit: string] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${quantity(used[name])}/${quantity(hard[name])}`;
    const parts = name.split('.');
    (parts.length > 1 && parts[0] === 'limits' ? limit : request).push(entry);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourceQuotaPrinter = tablePrinter<ResourceQuota>(
  [
    nameColumn,
    column('Request', 'string', 'Used and hard amounts of the non-limit resources.'),
    column('Limit', 'string', 'Used and hard amounts of the limits.* resources.'),
    ageColumn,
  ],
  (quota, now) => {
    const [request, limit] = quotaCells(quota);
    return [quota.metadata?.name ?? '', request, limit, timestampSince(quota.metadata?.creationTimestamp, now)];
  },
);

// ---- ReplicationController, PodTemplate, ComponentStatus ----

export const replicationControllerPrinter = tablePrinter<ReplicationController>(
  [
    nameColumn,
    column('Desired', 'integer', 'Desired number of replicas.'),
    column('Current', 'integer', 'Number of replicas that exist.'),
    column('Ready', 'integer', 'Number of ready replicas.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', 'Labels the controller selects its pods by.', { priority: 1 }),
  ],
  (rc, now) => {
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      rc.metadata?.name ?? '',
      rc.spec?.replicas ?? 0,
      rc.status?.replicas ?? 0,
      rc.status?.readyReplicas ?? 0,
      timestampSince(rc.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
);

export const podTemplatePrinter = tablePrinter<PodTemplate>(
  [
    nameColumn,
    column('Containers', 'string', 'Names of the containers in the template.'),
    column('Images', 'string', 'Images of the containers in the template.'),
    column('Pod Labels', 'string', 'Labels of pods made from the template.'),
  ],
  (pt) => {
    const [names, images] = containerCells(pt.template?.spec?.containers);
    return [pt.metadata?.name ?? '', names, images, formatLabels(pt.template?.metadata?.labels)];
  },
);

export const componentStatusPrinter = tablePrinter<ComponentStatus>(
  [
    nameColumn,
    column('Status', 'string', 'Healthy, Unhealthy or Unknown.'),
    column('Message', 'string', 'Message of the Healthy condition.'),
    column('Error', 'string', 'Error of the Healthy condition.'),
  ],
  (cs) => {
    const healthy = cs.conditions?.find((c) => c.type === 'Healthy');
    const status = healthy ? (healthy.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [cs.metadata?.name ?? '', status, healthy?.message ?? '', healthy?.error ?? ''];
  },
);
