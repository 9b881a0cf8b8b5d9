// NetworkPolicies (upstream pkg/apis/networking/validation ValidateNetworkPolicySpec): ports are valid numbers or
// names with endPort only after a numeric port, peers name exactly one kind, ipBlocks hold CIDRs.

import { forbidden, invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { parseCIDR } from '../../allocators/cidr.js';
import { isValidPortName, isValidPortNum } from '../name-checks.js';
import { asObject, asObjectList, type JSONObject } from '../object-paths.js';
import type { APIObject, ResourceStrategy } from '../strategy.js';

function validatePort(port: JSONObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof port.port === 'number') {
    for (const msg of isValidPortNum(port.port)) errs.push(invalid(`${path}.port`, port.port, msg));
    if (typeof port.endPort === 'number') {
      if (port.endPort < port.port) errs.push(invalid(`${path}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(port.endPort)) errs.push(invalid(`${path}.endPort`, port.endPort, msg));
    }
  } else if (typeof port.port === 'string') {
    if (port.endPort !== undefined && port.endPort !== null) errs.push(forbidden(`${path}.endPort`, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(port.port)) errs.push(invalid(`${path}.port`, port.port, msg));
  } else if (port.endPort !== undefined && port.endPort !== null) {
    errs.push(forbidden(`${path}.endPort`, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function isCIDR(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

function validateIPBlock(block: JSONObject, path: string): FieldError[] {
  const cidr = typeof block.cidr === 'string' ? block.cidr : '';
  if (cidr === '') return [required(`${path}.cidr`)];
  const errs: FieldError[] = [];
  if (!isCIDR(cidr)) errs.push(invalid(`${path}.cidr`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  (Array.isArray(block.except) ? (block.except as unknown[]) : []).forEach((e, i) => {
    if (!isCIDR(e)) errs.push(invalid(`${path}.except[${i}]`, e, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  return errs;
}

/** upstream ValidateNetworkPolicyPeer: exactly one of podSelector/namespaceSelector (together allowed) or ipBlock. */
function validatePeer(peer: JSONObject, path: string): FieldError[] {
  const selectors = (peer.podSelector ? 1 : 0) + (peer.namespaceSelector ? 1 : 0);
  const block = asObject(peer.ipBlock);
  if (selectors === 0 && !block) return [required(path, 'must specify a peer')];
  if (selectors > 0 && block) return [forbidden(path, 'may not specify both ipBlock and another peer')];
  return block ? validateIPBlock(block, `${path}.ipBlock`) : [];
}

function validateRules(spec: JSONObject, key: 'ingress' | 'egress', peers: 'from' | 'to'): FieldError[] {
  const errs: FieldError[] = [];
  asObjectList(spec[key]).forEach((rule, i) => {
    const p = `spec.${key}[${i}]`;
    asObjectList(rule.ports).forEach((port, j) => errs.push(...validatePort(port, `${p}.ports[${j}]`)));
    asObjectList(rule[peers]).forEach((peer, j) => errs.push(...validatePeer(peer, `${p}.${peers}[${j}]`)));
  });
  return errs;
}

function validateNetworkPolicy(obj: APIObject): FieldError[] {
  const spec = asObject(obj.spec) ?? {};
  const errs = [...validateRules(spec, 'ingress', 'from'), ...validateRules(spec, 'egress', 'to')];
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 2) {
    errs.push(invalid('spec.policyTypes', spec.policyTypes, 'may not specify more than two policyTypes'));
  }
  return errs;
}

export const networkPolicyStrategy: ResourceStrategy = {
  hasGeneration: true,
  validate: validateNetworkPolicy,
  validateUpdate: validateNetworkPolicy,
};
