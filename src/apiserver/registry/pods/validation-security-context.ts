// Security contexts of pods and containers (upstream ValidatePodSecurityContext and ValidateSecurityContext):
// user and group IDs in range, seccomp and AppArmor Localhost profiles, shareProcessNamespace against hostPID,
// allowPrivilegeEscalation against privileged and CAP_SYS_ADMIN. `privileged` itself is the AllowPrivileged
// admission check's (src/apiserver/admission/allow-privileged.ts).

import { forbidden, invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { asObject, type JSONObject } from '../object-paths.js';

/** upstream IsValidUserID / IsValidGroupID: 0 to MaxInt32. */
const idRangeMessage = 'must be between 0 and 2147483647, inclusive';

function validID(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2147483647 ? [] : [invalid(path, value, idRangeMessage)];
}

/** A seccompProfile or appArmorProfile: a Localhost profile names its file, other types name none. */
function validateProfile(profile: unknown, path: string, what: 'seccomp' | 'AppArmor'): FieldError[] {
  const p = asObject(profile);
  if (!p) return [];
  if (p.type === 'Localhost') {
    if (typeof p.localhostProfile !== 'string' || p.localhostProfile === '') return [required(`${path}.localhostProfile`, `must be set when ${what} type is Localhost`)];
    return [];
  }
  if (p.localhostProfile !== undefined && p.localhostProfile !== null) return [invalid(`${path}.localhostProfile`, p, `can only be set when ${what} type is Localhost`)];
  return [];
}

/** spec.securityContext of a pod (or template) at `path`; `spec` for hostPID and hostUsers. */
export function validatePodSecurityContext(spec: JSONObject, path: string): FieldError[] {
  const sc = asObject(spec.securityContext);
  if (!sc) return [];
  const errs: FieldError[] = [
    ...validID(sc.runAsUser, `${path}.runAsUser`),
    ...validID(sc.runAsGroup, `${path}.runAsGroup`),
    ...validID(sc.fsGroup, `${path}.fsGroup`),
  ];
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((g, i) => errs.push(...validID(g, `${path}.supplementalGroups[${i}]`)));
  if (sc.shareProcessNamespace === true && spec.hostPID === true) {
    errs.push(invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  errs.push(...validateProfile(sc.seccompProfile, `${path}.seccompProfile`, 'seccomp'));
  errs.push(...validateProfile(sc.appArmorProfile, `${path}.appArmorProfile`, 'AppArmor'));
  return errs;
}

/** containers[i].securityContext at `path`; `hostUsers` is the pod's spec.hostUsers (default true). */
export function validateContainerSecurityContext(securityContext: unknown, path: string, hostUsers: boolean): FieldError[] {
  const sc = asObject(securityContext);
  if (!sc) return [];
  const errs: FieldError[] = [...validID(sc.runAsUser, `${path}.runAsUser`), ...validID(sc.runAsGroup, `${path}.runAsGroup`)];
  if (sc.procMount === 'Unmasked' && hostUsers) errs.push(forbidden(`${path}.procMount`, '`hostUsers` must be false to use `Unmasked`'));
  errs.push(...validateProfile(sc.seccompProfile, `${path}.seccompProfile`, 'seccomp'));
  errs.push(...validateProfile(sc.appArmorProfile, `${path}.appArmorProfile`, 'AppArmor'));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    const added = asObject(sc.capabilities)?.add;
    for (const cap of Array.isArray(added) ? added : []) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}
