// The Pod Security Standards checks (upstream k8s.io/pod-security-admission/policy): baseline and restricted,
// each a function of a pod's metadata and spec that answers allowed or a reason with its detail, in
// upstream's words and order (baseline checks, then restricted ones; a restricted check replaces the baseline
// check it overrides).

import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as metav1 from '../../../api/generated/meta/v1.js';

export type Level = 'privileged' | 'baseline' | 'restricted';
export const levels: readonly Level[] = ['privileged', 'baseline', 'restricted'];

export type CheckResult = { allowed: true } | { allowed: false; reason: string; detail: string };

export interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** The baseline check this restricted one replaces at the restricted level. */
  overrides?: string;
  check(meta: metav1.ObjectMeta, spec: corev1.PodSpec): CheckResult;
}

const allowed: CheckResult = { allowed: true };
const deny = (reason: string, detail: string): CheckResult => ({ allowed: false, reason, detail });
const pluralize = (one: string, many: string, n: number) => (n === 1 ? one : many);
const joinQuote = (items: readonly string[]) => items.map((s) => JSON.stringify(s)).join(', ');
const sortedUnique = (items: Iterable<string>) => [...new Set(items)].sort();

/** Init containers, containers and ephemeral containers, in that order (upstream visitContainers). */
function containersOf(spec: corev1.PodSpec): Array<corev1.Container | corev1.EphemeralContainer> {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

const containersPhrase = (names: readonly string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

/** Capabilities baseline pods may add (upstream capabilities_allowed_1_0). */
const baselineCapabilities = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Sysctls baseline pods may set (upstream sysctls check, latest version). */
const safeSysctls = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

/** Volume sources restricted pods may use. */
const restrictedVolumeSources = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** Which volume source a volume uses (its one key besides name). */
function volumeType(v: corev1.Volume): string {
  return Object.keys(v).find((k) => k !== 'name') ?? '';
}

/** "pod", "pod and containers …", "containers …" for settings made at both levels. */
function settersPhrase(pod: boolean, containers: readonly string[]): string {
  const parts = [...(pod ? ['pod'] : []), ...(containers.length ? [containersPhrase(containers)] : [])];
  return parts.join(' and ');
}

const validSeccomp = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';

export const checks: readonly Check[] = [
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    check(_m, spec) {
      const bad: string[] = [];
      const caps = new Set<string>();
      for (const c of containersOf(spec)) {
        const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !baselineCapabilities.has(cap));
        if (added.length) bad.push(c.name);
        for (const cap of added) caps.add(cap);
      }
      return bad.length ? deny('non-default capabilities', `${containersPhrase(bad)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`) : allowed;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    check(_m, spec) {
      const ns = [spec.hostIPC && 'hostIPC', spec.hostNetwork && 'hostNetwork', spec.hostPID && 'hostPID'].filter((x): x is string => !!x);
      return ns.length ? deny('host namespaces', ns.map((n) => `${n}=true`).join(', ')) : allowed;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    check(_m, spec) {
      const names = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
      return names.length ? deny('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`) : allowed;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    check(_m, spec) {
      const bad: string[] = [];
      const ports = new Set<string>();
      for (const c of containersOf(spec)) {
        const hp = (c.ports ?? []).filter((p) => p.hostPort).map((p) => String(p.hostPort));
        if (hp.length) bad.push(c.name);
        for (const p of hp) ports.add(p);
      }
      if (!bad.length) return allowed;
      const list = sortedUnique(ports);
      return deny('hostPort', `${containersPhrase(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`);
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    check(_m, spec) {
      const bad = containersOf(spec).filter((c) => c.securityContext?.privileged).map((c) => c.name);
      return bad.length ? deny('privileged', `${containersPhrase(bad)} must not set securityContext.privileged=true`) : allowed;
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    check(_m, spec) {
      const bad = containersOf(spec).filter((c) => c.securityContext?.procMount && c.securityContext.procMount !== 'Default').map((c) => c.name);
      return bad.length ? deny('procMount', `${containersPhrase(bad)} must not set securityContext.procMount to "Unmasked"`) : allowed;
    },
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    check(_m, spec) {
      const pod = spec.securityContext?.seccompProfile?.type === 'Unconfined';
      const bad = containersOf(spec).filter((c) => c.securityContext?.seccompProfile?.type === 'Unconfined').map((c) => c.name);
      return pod || bad.length ? deny('seccompProfile', `${settersPhrase(pod, bad)} must not set securityContext.seccompProfile.type to "Unconfined"`) : allowed;
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    check(_m, spec) {
      const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !safeSysctls.has(n));
      return bad.length ? deny('forbidden sysctls', bad.join(', ')) : allowed;
    },
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    check(_m, spec) {
      const bad = containersOf(spec).filter((c) => c.securityContext?.allowPrivilegeEscalation !== false).map((c) => c.name);
      return bad.length ? deny('allowPrivilegeEscalation != false', `${containersPhrase(bad)} must set securityContext.allowPrivilegeEscalation=false`) : allowed;
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    overrides: 'capabilities_baseline',
    check(_m, spec) {
      const missingDrop: string[] = [];
      const adding: string[] = [];
      const caps = new Set<string>();
      for (const c of containersOf(spec)) {
        const capabilities = c.securityContext?.capabilities;
        if (!capabilities?.drop?.includes('ALL')) missingDrop.push(c.name);
        const added = (capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
        if (added.length) adding.push(c.name);
        for (const cap of added) caps.add(cap);
      }
      const details: string[] = [];
      if (missingDrop.length) details.push(`${containersPhrase(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (adding.length) details.push(`${containersPhrase(adding)} must not include ${joinQuote(sortedUnique(caps))} in securityContext.capabilities.add`);
      return details.length ? deny('unrestricted capabilities', details.join('; ')) : allowed;
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    overrides: 'hostPathVolumes',
    check(_m, spec) {
      const bad = (spec.volumes ?? []).filter((v) => !restrictedVolumeSources.has(volumeType(v)));
      if (!bad.length) return allowed;
      const types = sortedUnique(bad.map(volumeType));
      return deny(
        'restricted volume types',
        `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad.map((v) => v.name))} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', types.length)} ${joinQuote(types)}`,
      );
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    check(_m, spec) {
      const podFalse = spec.securityContext?.runAsNonRoot === false;
      const podTrue = spec.securityContext?.runAsNonRoot === true;
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containersOf(spec)) {
        const v = c.securityContext?.runAsNonRoot;
        if (v === false) explicit.push(c.name);
        else if (v === undefined && !podTrue) implicit.push(c.name);
      }
      if (podFalse || explicit.length) return deny('runAsNonRoot != true', `${settersPhrase(podFalse, explicit)} must not set securityContext.runAsNonRoot=false`);
      if (implicit.length) return deny('runAsNonRoot != true', `pod or ${containersPhrase(implicit)} must set securityContext.runAsNonRoot=true`);
      return allowed;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    check(_m, spec) {
      const pod = spec.securityContext?.runAsUser === 0;
      const bad = containersOf(spec).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
      return pod || bad.length ? deny('runAsUser=0', `${settersPhrase(pod, bad)} must not set runAsUser=0`) : allowed;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    overrides: 'seccompProfile_baseline',
    check(_m, spec) {
      const podType = spec.securityContext?.seccompProfile?.type;
      const podBad = podType !== undefined && !validSeccomp(podType);
      const podSet = podType !== undefined && validSeccomp(podType);
      const badValues = new Set<string>(podBad ? [podType!] : []);
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containersOf(spec)) {
        const t = c.securityContext?.seccompProfile?.type;
        if (t !== undefined) {
          if (!validSeccomp(t)) {
            explicit.push(c.name);
            badValues.add(t);
          }
        } else if (!podSet) {
          implicit.push(c.name);
        }
      }
      if (podBad || explicit.length) return deny('seccompProfile', `${settersPhrase(podBad, explicit)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedUnique(badValues))}`);
      if (implicit.length) return deny('seccompProfile', `pod or ${containersPhrase(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
      return allowed;
    },
  },
];

/** The checks a level runs, in upstream's order. */
export function checksFor(level: Level): readonly Check[] {
  if (level === 'privileged') return [];
  if (level === 'baseline') return checks.filter((c) => c.level === 'baseline');
  const overridden = new Set(checks.map((c) => c.overrides).filter(Boolean));
  return checks.filter((c) => !overridden.has(c.id));
}

/** Every failed check of `level` as "reason (detail), …", or undefined when the pod is allowed. */
export function evaluatePod(level: Level, meta: metav1.ObjectMeta, spec: corev1.PodSpec): { reasons: string[]; message: string } | undefined {
  const failed = checksFor(level)
    .map((c) => c.check(meta, spec))
    .filter((r): r is Extract<CheckResult, { allowed: false }> => !r.allowed);
  if (!failed.length) return undefined;
  return { reasons: failed.map((f) => f.reason), message: failed.map((f) => (f.detail ? `${f.reason} (${f.detail})` : f.reason)).join(', ') };
}
