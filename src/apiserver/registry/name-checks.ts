// Syntax checks the per-kind validations need (IANA service names, port numbers), each returning upstream's
// messages. Name and label syntax (DNS-1123, qualified names) lives in src/apimachinery/validation.

import { parseIP } from '../allocators/cidr.js';

/** DNS-1123 label checks (container names, service port names) come from apimachinery. */
export { isDNS1123Label } from '../../apimachinery/validation/names.js';

/** Problems with `value` as an IANA service name (container port names, named targetPorts); [] when valid. */
export function isValidPortName(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(value)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Problems with `value` as a TCP/UDP port number; [] when valid. */
export function isValidPortNum(value: number): string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** The protocols a port may use, in upstream's order for "supported values". */
export const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];

/** Upstream's message for a string that is not an IPv4 or IPv6 address. */
export const validIPMessage = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** Problems with `value` as an IP address (upstream IsValidIP); [] when valid. */
export function isValidIP(value: string): string[] {
  return parseIP(value) ? [] : [validIPMessage];
}
