// Syntax checks the per-kind validations need (DNS-1123 labels, IANA service names, port numbers), each
// returning upstream's messages. Generic metadata validation lives in src/apimachinery/validation.

const dns1123LabelRE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123LabelMessage =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end " +
  "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Problems with `value` as a DNS-1123 label (container names, port names of services…); [] when valid. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1123LabelRE.test(value)) errs.push(dns1123LabelMessage);
  return errs;
}

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
