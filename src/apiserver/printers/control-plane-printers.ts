// Printers for the cluster-configuration kinds: RBAC bindings, admission webhooks and policies,
// certificate signing requests, leases, API priority and fairness, priority and runtime classes, and
// APIServices (the aggregator's own table). Columns and cells follow upstream.

import type {
  MutatingAdmissionPolicy,
  MutatingAdmissionPolicyBinding,
  MutatingWebhookConfiguration,
  ParamRef,
  ValidatingAdmissionPolicy,
  ValidatingAdmissionPolicyBinding,
  ValidatingWebhookConfiguration,
} from '../../api/generated/admissionregistration/v1.js';
import type { APIService } from '../../api/generated/apiregistration/v1.js';
import type { CertificateSigningRequest } from '../../api/generated/certificates/v1.js';
import type { Lease } from '../../api/generated/coordination/v1.js';
import type { FlowSchema, PriorityLevelConfiguration } from '../../api/generated/flowcontrol/v1.js';
import type { LabelSelector } from '../../api/generated/meta/v1.js';
import type { RuntimeClass } from '../../api/generated/node/v1.js';
import type { ClusterRoleBinding, RoleBinding, Subject } from '../../api/generated/rbac/v1.js';
import type { PriorityClass } from '../../api/generated/scheduling/v1.js';
import type { APIObject } from '../registry/strategy.js';
import { humanDuration, timestampSince } from './human-duration.js';
import { ageColumn, column, nameColumn, tablePrinter, type TableCell } from './table.js';

// ---- RBAC ----

/** upstream rbac.SubjectsStrings: users, groups and `namespace/name` service accounts. */
export function subjectsStrings(subjects: readonly Subject[] | undefined): [users: string[], groups: string[], serviceAccounts: string[]] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users, groups, sas];
}

function bindingCells(b: RoleBinding | ClusterRoleBinding, now: number): TableCell[] {
  const [users, groups, sas] = subjectsStrings(b.subjects);
  return [
    b.metadata?.name ?? '',
    `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`,
    timestampSince(b.metadata?.creationTimestamp, now),
    users.join(', '),
    groups.join(', '),
    sas.join(', '),
  ];
}

function bindingColumns(kind: string) {
  return [
    nameColumn,
    column('Role', 'string', 'The bound role, as kind/name.'),
    ageColumn,
    column('Users', 'string', `Users in the ${kind}.`, { priority: 1 }),
    column('Groups', 'string', `Groups in the ${kind}.`, { priority: 1 }),
    column('ServiceAccounts', 'string', `Service accounts in the ${kind}, as namespace/name.`, { priority: 1 }),
  ];
}

export const roleBindingPrinter = tablePrinter<RoleBinding>(bindingColumns('roleBinding'), bindingCells);
export const clusterRoleBindingPrinter = tablePrinter<ClusterRoleBinding>(bindingColumns('clusterRoleBinding'), bindingCells);

// ---- admissionregistration ----

const webhooksColumn = column('Webhooks', 'integer', 'Number of webhooks in the configuration.');

export const mutatingWebhookConfigurationPrinter = tablePrinter<MutatingWebhookConfiguration>([nameColumn, webhooksColumn, ageColumn], (w, now) => [
  w.metadata?.name ?? '',
  w.webhooks?.length ?? 0,
  timestampSince(w.metadata?.creationTimestamp, now),
]);

export const validatingWebhookConfigurationPrinter = tablePrinter<ValidatingWebhookConfiguration>(
  [nameColumn, webhooksColumn, ageColumn],
  (w, now) => [w.metadata?.name ?? '', w.webhooks?.length ?? 0, timestampSince(w.metadata?.creationTimestamp, now)],
);

const paramKindColumn = column('ParamKind', 'string', 'The kind of the parameter resources, as apiVersion/kind.');

function paramKind(pk: { apiVersion?: string; kind?: string } | undefined): string {
  return pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>';
}

export const validatingAdmissionPolicyPrinter = tablePrinter<ValidatingAdmissionPolicy>(
  [nameColumn, column('Validations', 'integer', 'Number of validation rules.'), paramKindColumn, ageColumn],
  (p, now) => [p.metadata?.name ?? '', p.spec?.validations?.length ?? 0, paramKind(p.spec?.paramKind), timestampSince(p.metadata?.creationTimestamp, now)],
);

export const mutatingAdmissionPolicyPrinter = tablePrinter<MutatingAdmissionPolicy>(
  [nameColumn, column('Mutations', 'integer', 'Number of mutations.'), paramKindColumn, ageColumn],
  (p, now) => [p.metadata?.name ?? '', p.spec?.mutations?.length ?? 0, paramKind(p.spec?.paramKind), timestampSince(p.metadata?.creationTimestamp, now)],
);

/**
 * A LabelSelector the way Go's generated String() method prints it (upstream prints paramRef selectors
 * with it): `&LabelSelector{MatchLabels:map[string]string{a: b,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
export function goLabelSelectorString(ls: LabelSelector): string {
  const labels = Object.keys(ls.matchLabels ?? {})
    .sort()
    .map((k) => `${k}: ${ls.matchLabels![k]},`)
    .join('');
  const expressions = (ls.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

/** The PARAMREF cell: `namespace/name` (namespace `*` when none is given), the selector, or `<unset>`. */
export function formatParamRef(ref: ParamRef | undefined): string {
  if (!ref) return '<unset>';
  if (ref.name) return ref.namespace ? `${ref.namespace}/${ref.name}` : `*/${ref.name}`;
  if (ref.selector) return goLabelSelectorString(ref.selector);
  return '<unset>';
}

function policyBindingColumns() {
  return [
    nameColumn,
    column('PolicyName', 'string', 'The policy the binding applies.'),
    column('ParamRef', 'string', 'The parameter resource of the binding.'),
    ageColumn,
  ];
}

export const validatingAdmissionPolicyBindingPrinter = tablePrinter<ValidatingAdmissionPolicyBinding>(policyBindingColumns(), (b, now) => [
  b.metadata?.name ?? '',
  b.spec?.policyName ?? '',
  formatParamRef(b.spec?.paramRef),
  timestampSince(b.metadata?.creationTimestamp, now),
]);

export const mutatingAdmissionPolicyBindingPrinter = tablePrinter<MutatingAdmissionPolicyBinding>(policyBindingColumns(), (b, now) => [
  b.metadata?.name ?? '',
  b.spec?.policyName ?? '',
  formatParamRef(b.spec?.paramRef),
  timestampSince(b.metadata?.creationTimestamp, now),
]);

// ---- certificates ----

/** The CONDITION cell: Denied, Approved or Pending, then ",Failed" and ",Issued" when they apply. */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter = tablePrinter<CertificateSigningRequest>(
  [
    nameColumn,
    ageColumn,
    column('SignerName', 'string', 'The signer asked to sign the request.'),
    column('Requestor', 'string', 'The user who created the request.'),
    column('RequestedDuration', 'string', 'The validity the requestor asked for.'),
    column('Condition', 'string', 'Approval state of the request.'),
  ],
  (csr, now) => {
    const seconds = csr.spec?.expirationSeconds;
    return [
      csr.metadata?.name ?? '',
      timestampSince(csr.metadata?.creationTimestamp, now),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      seconds === undefined || seconds === null ? '<none>' : humanDuration(seconds * 1000),
      csrCondition(csr),
    ];
  },
);

// ---- coordination ----

export const leasePrinter = tablePrinter<Lease>([nameColumn, column('Holder', 'string', 'Identity of the current holder.'), ageColumn], (l, now) => [
  l.metadata?.name ?? '',
  l.spec?.holderIdentity ?? '',
  timestampSince(l.metadata?.creationTimestamp, now),
]);

// ---- flowcontrol ----

/** upstream FlowSchemaSequence: by matchingPrecedence, then name. */
export function sortFlowSchemas(objects: readonly APIObject[]): APIObject[] {
  const precedence = (o: APIObject): number => (o as FlowSchema).spec?.matchingPrecedence ?? 0;
  const name = (o: APIObject): string => o.metadata?.name ?? '';
  return [...objects].sort((a, b) => precedence(a) - precedence(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

export const flowSchemaPrinter = tablePrinter<FlowSchema>(
  [
    nameColumn,
    column('PriorityLevel', 'string', 'The priority level requests of the schema go to.'),
    column('MatchingPrecedence', 'string', 'Schemas with lower precedence values match first.'),
    column('DistinguisherMethod', 'string', 'How flows are told apart: ByUser or ByNamespace.'),
    ageColumn,
    column('MissingPL', 'string', 'Whether the referenced priority level is missing (status of the Dangling condition).'),
  ],
  (fs, now) => [
    fs.metadata?.name ?? '',
    fs.spec?.priorityLevelConfiguration?.name ?? '',
    fs.spec?.matchingPrecedence ?? 0,
    fs.spec?.distinguisherMethod?.type ?? '<none>',
    timestampSince(fs.metadata?.creationTimestamp, now),
    fs.status?.conditions?.find((c) => c.type === 'Dangling')?.status ?? '?',
  ],
  { sortList: sortFlowSchemas },
);

export const priorityLevelConfigurationPrinter = tablePrinter<PriorityLevelConfiguration>(
  [
    nameColumn,
    column('Type', 'string', 'Limited or Exempt.'),
    column('NominalConcurrencyShares', 'string', 'Share of the server concurrency limit.'),
    column('Queues', 'string', 'Number of queues.'),
    column('HandSize', 'string', 'Queues a flow is shuffle-sharded over.'),
    column('QueueLengthLimit', 'string', 'Requests one queue may hold.'),
    ageColumn,
  ],
  (pl, now) => {
    const limited = pl.spec?.limited;
    const queuing = limited?.limitResponse?.queuing;
    const or = (v: number | undefined): TableCell => (limited ? (v ?? 0) : '<none>');
    return [
      pl.metadata?.name ?? '',
      pl.spec?.type ?? '',
      or(limited?.nominalConcurrencyShares),
      queuing ? (queuing.queues ?? 0) : '<none>',
      queuing ? (queuing.handSize ?? 0) : '<none>',
      queuing ? (queuing.queueLengthLimit ?? 0) : '<none>',
      timestampSince(pl.metadata?.creationTimestamp, now),
    ];
  },
);

// ---- scheduling, node ----

export const priorityClassPrinter = tablePrinter<PriorityClass>(
  [
    nameColumn,
    column('Value', 'integer', 'The priority of pods using the class.'),
    column('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    ageColumn,
    column('PreemptionPolicy', 'string', 'Whether pods of the class may preempt others.', { priority: 1 }),
  ],
  (pc, now) => [
    pc.metadata?.name ?? '',
    pc.value ?? 0,
    pc.globalDefault ?? false,
    timestampSince(pc.metadata?.creationTimestamp, now),
    pc.preemptionPolicy ?? '',
  ],
);

export const runtimeClassPrinter = tablePrinter<RuntimeClass>(
  [nameColumn, column('Handler', 'string', 'The CRI runtime handler of the class.'), ageColumn],
  (rc, now) => [rc.metadata?.name ?? '', rc.handler ?? '', timestampSince(rc.metadata?.creationTimestamp, now)],
);

// ---- apiregistration ----

/** The AVAILABLE cell: the Available condition's status, with its reason when not True; Unknown if absent. */
export function apiServiceAvailability(svc: APIService): string {
  const c = svc.status?.conditions?.find((c) => c.type === 'Available');
  if (!c) return 'Unknown';
  if (c.status === 'True' || !c.reason) return c.status;
  return `${c.status} (${c.reason})`;
}

export const apiServicePrinter = tablePrinter<APIService>(
  [
    nameColumn,
    column('Service', 'string', 'The service serving the API, as namespace/name, or Local.'),
    column('Available', 'string', 'Whether the API is reachable.'),
    ageColumn,
  ],
  (svc, now) => {
    const ref = svc.spec?.service;
    return [
      svc.metadata?.name ?? '',
      ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : 'Local',
      apiServiceAvailability(svc),
      timestampSince(svc.metadata?.creationTimestamp, now),
    ];
  },
);
