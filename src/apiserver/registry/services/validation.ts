// The Service checks users hit most (upstream ValidateService / ValidateServiceUpdate, a subset): type,
// ports, names, protocols, target and node ports, clusterIP syntax, and clusterIP immutability.

import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { validateLabels } from '../../../apimachinery/validation/object-meta.js';
import { parseIP } from '../../allocators/cidr.js';
import { isDNS1123Label, isValidPortName, isValidPortNum, supportedPortProtocols, validIPMessage } from '../name-checks.js';
import { asObjectList } from '../object-paths.js';
import { needsClusterIP, serviceTypes, type ServicePort, type ServiceSpec } from './defaults.js';


function validatePorts(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ports = asObjectList(spec.ports) as ServicePort[];
  const headless = spec.clusterIP === 'None';
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    if (ports.length > 1 && !port.name) errs.push(required(`${p}.name`));
    if (port.name) {
      for (const msg of isDNS1123Label(port.name)) errs.push(invalid(`${p}.name`, port.name, msg));
      if (names.has(port.name)) errs.push(duplicate(`${p}.name`, port.name));
      names.add(port.name);
    }
    for (const msg of isValidPortNum(port.port ?? 0)) errs.push(invalid(`${p}.port`, port.port ?? 0, msg));
    if (!port.protocol) errs.push(required(`${p}.protocol`));
    else if (!supportedPortProtocols.includes(port.protocol)) errs.push(notSupported(`${p}.protocol`, port.protocol, supportedPortProtocols));
    if (typeof port.targetPort === 'number') {
      for (const msg of isValidPortNum(port.targetPort)) errs.push(invalid(`${p}.targetPort`, port.targetPort, msg));
    } else if (typeof port.targetPort === 'string') {
      for (const msg of isValidPortName(port.targetPort)) errs.push(invalid(`${p}.targetPort`, port.targetPort, msg));
    }
    if (port.nodePort) {
      if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
        errs.push(forbidden(`${p}.nodePort`, `may not be used when \`type\` is '${spec.type}'`));
      } else {
        for (const msg of isValidPortNum(port.nodePort)) errs.push(invalid(`${p}.nodePort`, port.nodePort, msg));
      }
    }
  });
  return errs;
}

function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  if (spec.type === 'ExternalName') {
    if (ips.length > 0 || spec.clusterIP) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    return errs;
  }
  if (spec.clusterIP && ips.length > 0 && spec.clusterIP !== ips[0]) {
    errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  }
  ips.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || ips.length > 1) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, "'None' must be the first and only value"));
      else if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `may not be set to 'None' for ${spec.type} services`));
      }
      return;
    }
    if (ip !== '' && !parseIP(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, validIPMessage));
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  return errs;
}

/** Validates a Service's spec (the name, a DNS-1035 label, is checked with the rest of metadata). */
export function validateService(spec: ServiceSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec.type) errs.push(required('spec.type'));
  else if (!serviceTypes.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, serviceTypes));
  if (spec.type === 'ExternalName' && !spec.externalName) errs.push(required('spec.externalName'));
  if (spec.sessionAffinity && !['ClientIP', 'None'].includes(spec.sessionAffinity)) {
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  }
  if (spec.ipFamilyPolicy !== undefined && !['PreferDualStack', 'RequireDualStack', 'SingleStack'].includes(spec.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (!['IPv4', 'IPv6'].includes(f)) errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validatePorts(spec), ...validateClusterIPs(spec));
  return errs;
}

/** The primary ClusterIP may not change once set, unless the Service moves to or from ExternalName. */
export function validateServiceUpdate(spec: ServiceSpec, old: ServiceSpec): FieldError[] {
  if (!needsClusterIP(old) || !needsClusterIP(spec)) return [];
  const oldPrimary = old.clusterIPs?.[0] ?? old.clusterIP ?? '';
  if (!oldPrimary) return [];
  const ips = spec.clusterIPs ?? [];
  if (ips.length === 0) return [invalid('spec.clusterIPs[0]', null, 'primary clusterIP can not be unset')];
  if (ips[0] !== oldPrimary) return [invalid('spec.clusterIPs[0]', ips, 'may not change once set')];
  return [];
}
