// PodSecurity admission (upstream k8s.io/pod-security-admission): a namespace's
// pod-security.kubernetes.io/{enforce,warn,audit}[-version] labels choose the Pod Security Standard its pods
// must meet. Enforce refuses pods; warn answers with Warning headers (also for workloads' pod templates);
// audit would annotate audit events, which k8ts does not write yet. Defaults and exemptions come from the
// PodSecurityConfiguration in --admission-control-config-file.

import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as metav1 from '../../../api/generated/meta/v1.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';
import { podTemplateOf } from '../pod-templates.js';
import { evaluatePod, levels, type Level } from './pod-security-checks.js';
import { newInvalid } from '../../../apimachinery/errors.js';
import { invalid, type FieldError } from '../../../apimachinery/field-error.js';

export const podSecurityPluginName = 'PodSecurity';
const labelPrefix = 'pod-security.kubernetes.io/';
const modes = ['enforce', 'warn', 'audit'] as const;
type Mode = (typeof modes)[number];

/** One mode's policy: a level at a version ("latest" or "v1.N"). */
export interface Policy {
  level: Level;
  version: string;
}

/** Upstream PodSecurityConfiguration (pod-security.admission.config.k8s.io/v1). */
export interface PodSecurityConfiguration {
  defaults?: Partial<Record<Mode | `${Mode}-version`, string>>;
  exemptions?: { usernames?: string[]; namespaces?: string[]; runtimeClasses?: string[] };
}

const validVersion = (v: string) => v === 'latest' || /^v1\.(0|[1-9][0-9]*)$/.test(v);

/** The policy of one mode from namespace labels over the defaults; the field errors of invalid labels. */
function policyFor(mode: Mode, labels: Record<string, string>, defaults: PodSecurityConfiguration['defaults']): { policy: Policy; errs: FieldError[] } {
  const errs: FieldError[] = [];
  const levelKey = `${labelPrefix}${mode}`;
  const versionKey = `${labelPrefix}${mode}-version`;
  let level = (labels[levelKey] ?? defaults?.[mode] ?? 'privileged') as Level;
  let version = labels[versionKey] ?? defaults?.[`${mode}-version`] ?? 'latest';
  if (!levels.includes(level)) {
    errs.push(invalid(`metadata.labels[${levelKey}]`, level, `must be one of ${levels.join(', ')}`));
    level = 'restricted';
  }
  if (!validVersion(version)) {
    errs.push(invalid(`metadata.labels[${versionKey}]`, version, 'must be "latest" or "v1.x"'));
    version = 'latest';
  }
  return { policy: { level, version }, errs };
}

const policyName = (p: Policy) => `${p.level}:${p.version}`;

export function newPodSecurity(opts: { reader: ObjectReader; config?: PodSecurityConfiguration }): AdmissionPlugin {
  const defaults = opts.config?.defaults;
  const exempt = opts.config?.exemptions ?? {};

  async function namespacePolicies(namespace: string): Promise<Record<Mode, Policy>> {
    const ns = await opts.reader.get({ group: '', resource: 'namespaces' }, '', namespace);
    const labels = ns?.metadata?.labels ?? {};
    return { enforce: policyFor('enforce', labels, defaults).policy, warn: policyFor('warn', labels, defaults).policy, audit: policyFor('audit', labels, defaults).policy };
  }

  /** Namespaces: invalid labels are refused; a stricter enforce level warns about the pods already there. */
  async function validateNamespace(attrs: AdmissionAttributes): Promise<void> {
    const labels = attrs.object?.metadata?.labels ?? {};
    const errs = modes.flatMap((m) => policyFor(m, labels, defaults).errs);
    if (errs.length) throw newInvalid({ group: '', kind: 'Namespace' }, attrs.name, errs);
    if (attrs.operation !== 'UPDATE' || exempt.namespaces?.includes(attrs.name)) return;
    const next = policyFor('enforce', labels, defaults).policy;
    const before = policyFor('enforce', attrs.oldObject?.metadata?.labels ?? {}, defaults).policy;
    if (next.level === 'privileged' || policyName(next) === policyName(before)) return;
    const pods = (await opts.reader.list({ group: '', resource: 'pods' }, attrs.name)) as corev1.Pod[];
    const byReasons = new Map<string, string[]>();
    for (const pod of pods) {
      const result = evaluatePod(next.level, pod.metadata ?? {}, pod.spec ?? { containers: [] });
      if (!result) continue;
      const key = result.reasons.join(', ');
      byReasons.set(key, [...(byReasons.get(key) ?? []), pod.metadata?.name ?? '']);
    }
    if (!byReasons.size) return;
    attrs.addWarning?.(`existing pods in namespace "${attrs.name}" violate the new PodSecurity enforce level "${policyName(next)}"`);
    for (const [reasons, names] of byReasons) {
      const who = names.length === 1 ? names[0] : `${names[0]} (and ${names.length - 1} other ${names.length === 2 ? 'pod' : 'pods'})`;
      attrs.addWarning?.(`${who}: ${reasons}`);
    }
  }

  async function validatePod(attrs: AdmissionAttributes, pod: corev1.Pod): Promise<void> {
    if (pod.spec?.runtimeClassName && exempt.runtimeClasses?.includes(pod.spec.runtimeClassName)) return;
    if (attrs.operation === 'UPDATE') {
      // Only changes to the spec are judged again (labels, annotations and status updates pass).
      const old = attrs.oldObject as corev1.Pod | undefined;
      if (JSON.stringify(old?.spec) === JSON.stringify(pod.spec)) return;
    }
    const policies = await namespacePolicies(attrs.namespace);
    const evaluate = (p: Policy) => (p.level === 'privileged' ? undefined : evaluatePod(p.level, pod.metadata ?? {}, pod.spec ?? { containers: [] }));
    const enforced = evaluate(policies.enforce);
    const warnSame = policyName(policies.warn) === policyName(policies.enforce);
    if (!(enforced && warnSame)) {
      const warned = evaluate(policies.warn);
      if (warned) attrs.addWarning?.(`would violate PodSecurity "${policyName(policies.warn)}": ${warned.message}`);
    }
    if (enforced) throw newAdmissionForbidden(attrs, `violates PodSecurity "${policyName(policies.enforce)}": ${enforced.message}`);
  }

  async function warnTemplate(attrs: AdmissionAttributes, template: { metadata?: metav1.ObjectMeta; spec?: corev1.PodSpec }): Promise<void> {
    const policies = await namespacePolicies(attrs.namespace);
    if (policies.warn.level === 'privileged') return;
    const warned = evaluatePod(policies.warn.level, template.metadata ?? {}, template.spec ?? { containers: [] });
    if (warned) attrs.addWarning?.(`would violate PodSecurity "${policyName(policies.warn)}": ${warned.message}`);
  }

  return {
    name: podSecurityPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs) {
      if (!attrs.object) return;
      const { group, resource } = attrs.resource;
      if (group === '' && resource === 'namespaces' && attrs.subresource === '') return validateNamespace(attrs);
      if (exempt.usernames?.includes(attrs.user.name) || exempt.namespaces?.includes(attrs.namespace)) return;
      if (group === '' && resource === 'pods') {
        if (attrs.subresource !== '' && attrs.subresource !== 'ephemeralcontainers') return;
        return validatePod(attrs, attrs.object as corev1.Pod);
      }
      if (attrs.subresource !== '') return;
      // Workloads' pod templates are only warned about, never refused.
      const template = podTemplateOf(attrs.resource, attrs.object);
      if (template) await warnTemplate(attrs, template);
    },
  };
}
