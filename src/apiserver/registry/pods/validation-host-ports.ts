// Host ports and host namespaces of a pod (upstream checkHostPortConflicts, validatePodHostNetworkDeps,
// validateHostUsers): no two containers bind the same protocol/hostIP/hostPort, hostNetwork pods use their
// container ports as host ports, and a user-namespaced pod shares no namespace with the host.

import { duplicate, forbidden, invalid, type FieldError } from '../../../apimachinery/field-error.js';
import { asObjectList, type JSONObject } from '../object-paths.js';

/**
 * Host ports used twice within `containers` (upstream AccumulateUniqueHostPorts), keyed like upstream as
 * `<protocol>/<hostIP>/<port>` — "TCP//8080" when no hostIP is given.
 */
export function checkHostPortConflicts(containers: JSONObject[], path: string): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    asObjectList(c.ports).forEach((port, pi) => {
      if (typeof port.hostPort !== 'number' || port.hostPort === 0) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

/**
 * Init containers run one at a time, so each is checked alone; upstream checks a one-element list, so a
 * conflict is reported at index 0 whatever the init container's index.
 */
export function checkInitContainerHostPortConflicts(initContainers: JSONObject[], path: string): FieldError[] {
  return initContainers.flatMap((c) => checkHostPortConflicts([c], path));
}

export interface HostNetworkOptions {
  /** The spec is a Pod's (ports are defaulted there), not a template's, which may leave hostPort 0. */
  resourceIsPod: boolean;
}

/** With spec.hostNetwork, every container port's hostPort must equal its containerPort. */
export function validateHostNetworkPorts(spec: JSONObject, path: string, opts: HostNetworkOptions): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  asObjectList(spec.containers).forEach((c, ci) => {
    asObjectList(c.ports).forEach((port, pi) => {
      const hp = typeof port.hostPort === 'number' ? port.hostPort : 0;
      if ((opts.resourceIsPod || hp !== 0) && hp !== port.containerPort) {
        errs.push(invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

/** hostUsers: false excludes the host's network, PID and IPC namespaces (upstream's paths, capitals included). */
export function validateHostUsers(spec: JSONObject, path: string): FieldError[] {
  if (spec.hostUsers !== false) return [];
  const errs: FieldError[] = [];
  const msg = 'when `pod.Spec.HostUsers` is false';
  if (spec.hostNetwork === true) errs.push(forbidden(`${path}.hostNetwork`, msg));
  if (spec.hostPID === true) errs.push(forbidden(`${path}.HostPID`, msg));
  if (spec.hostIPC === true) errs.push(forbidden(`${path}.HostIPC`, msg));
  return errs;
}
