// Pod-level kernel settings and OS (upstream validateSysctls with ValidateHostSysctl, validateOS,
// validateLinux, validateWindows): sysctl names and repeats, namespaced sysctls refused when the pod shares
// that namespace with the host, os.name linux/windows and the fields a Windows or Linux pod may not set.

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject, asObjectList, type JSONObject } from '../object-paths.js';

const sysctlMaxLength = 253;
const sysctlSegment = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlPattern = `^(${sysctlSegment}[\\./])*${sysctlSegment}$`;
const sysctlRe = new RegExp(sysctlPattern);
const sysctlNameMessage = `must have at most ${sysctlMaxLength} characters and match regex ${sysctlPattern}`;

/** Dotted form of a sysctl written with slashes first ("net/ipv4/ip_forward"), as the kernel accepts both. */
function normalizeSysctlName(name: string): string {
  const sep = name.search(/[./]/);
  if (sep === -1 || name[sep] === '.') return name;
  return name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

const ipcSysctls = new Set(['kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni']);

/** The kernel namespace a sysctl belongs to, as far as host sharing matters. */
function sysctlNamespace(name: string): 'net' | 'ipc' | undefined {
  const n = normalizeSysctlName(name);
  if (ipcSysctls.has(n) || n.startsWith('fs.mqueue')) return 'ipc';
  if (n.startsWith('net')) return 'net';
  return undefined;
}

/** spec.securityContext.sysctls (at `path`), with the pod's hostNetwork and hostIPC. */
export function validateSysctls(spec: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asObjectList(asObject(spec.securityContext)?.sysctls).forEach((s, i) => {
    const p = `${path}[${i}].name`;
    const name = typeof s.name === 'string' ? s.name : '';
    if (name === '') errs.push(required(p));
    else if (name.length > sysctlMaxLength || !sysctlRe.test(name)) errs.push(invalid(p, name, sysctlNameMessage));
    else if (names.has(name)) errs.push(duplicate(p, name));
    const ns = sysctlNamespace(name);
    if (spec.hostNetwork === true && ns === 'net') errs.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (spec.hostIPC === true && ns === 'ipc') errs.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  return errs;
}

const validOS = ['linux', 'windows'];
const notForWindows = 'cannot be set for a windows pod';
/** Pod security context fields upstream checks last for Windows pods. */
const windowsForbiddenPodSCTail = ['runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy'];
const windowsForbiddenContainerSC = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** Every container with its path, in upstream VisitContainersWithPath order: init, regular, ephemeral. */
function containersWithPaths(spec: JSONObject, path: string): Array<[JSONObject, string]> {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) =>
    asObjectList(spec[key]).map((c, i): [JSONObject, string] => [c, `${path}.${key}[${i}]`]),
  );
}

function validateWindows(spec: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sc = asObject(spec.securityContext) ?? {};
  // Upstream keeps hostUsers/hostPID/hostIPC/shareProcessNamespace in its internal security context and
  // checks them among its fields, in this order.
  const order: Array<[string, boolean]> = [
    ['securityContext.appArmorProfile', isSet(sc.appArmorProfile)],
    ['securityContext.seLinuxOptions', isSet(sc.seLinuxOptions)],
    ['hostUsers', isSet(spec.hostUsers)],
    ['hostPID', spec.hostPID === true],
    ['hostIPC', spec.hostIPC === true],
    ['securityContext.seccompProfile', isSet(sc.seccompProfile)],
    ['securityContext.fsGroup', isSet(sc.fsGroup)],
    ['securityContext.fsGroupChangePolicy', isSet(sc.fsGroupChangePolicy)],
    ['securityContext.sysctls', Array.isArray(sc.sysctls) && sc.sysctls.length > 0],
    ['shareProcessNamespace', isSet(spec.shareProcessNamespace)],
    ...windowsForbiddenPodSCTail.map((f): [string, boolean] => [`securityContext.${f}`, isSet(sc[f])]),
  ];
  for (const [field, set] of order) if (set) errs.push(forbidden(`${path}.${field}`, notForWindows));
  for (const [c, cPath] of containersWithPaths(spec, path)) {
    const csc = asObject(c.securityContext);
    if (!csc) continue;
    for (const f of windowsForbiddenContainerSC) if (isSet(csc[f])) errs.push(forbidden(`${cPath}.securityContext.${f}`, notForWindows));
  }
  return errs;
}

function validateLinux(spec: JSONObject, path: string): FieldError[] {
  const msg = 'windows options cannot be set for a linux pod';
  const errs: FieldError[] = [];
  if (isSet(asObject(spec.securityContext)?.windowsOptions)) errs.push(forbidden(`${path}.securityContext.windowsOptions`, msg));
  for (const [c, cPath] of containersWithPaths(spec, path)) {
    if (isSet(asObject(c.securityContext)?.windowsOptions)) errs.push(forbidden(`${cPath}.securityContext.windowsOptions`, msg));
  }
  return errs;
}

/** spec.os: a known name, then the fields that OS does not support. */
export function validateOS(spec: JSONObject, path: string): FieldError[] {
  const os = asObject(spec.os);
  if (!os) return [];
  const name = typeof os.name === 'string' ? os.name : '';
  if (name === '') return [required(`${path}.os.name`, 'cannot be empty')];
  if (!validOS.includes(name)) return [notSupported(`${path}.os`, name, validOS)];
  return name === 'windows' ? validateWindows(spec, path) : validateLinux(spec, path);
}
