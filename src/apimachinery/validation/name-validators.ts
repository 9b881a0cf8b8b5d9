// The per-kind name rules (upstream's ValidateNameFunc family): a kind picks one for metadata.name,
// and the same function checks metadata.generateName with `prefix = true`.

import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from './names.js';

/**
 * Validates a name (`prefix = false`) or a generateName prefix (`prefix = true`); returns the problems,
 * each a sentence completing `Invalid value: "<name>": `.
 */
export type ValidateNameFunc = (name: string, prefix: boolean) => string[];

/**
 * A generateName prefix may end in '-' (the random suffix follows it). Upstream checks such a prefix by
 * replacing its last two characters with "a" so the trailing dash passes; we keep that exact rule.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** Most kinds: a DNS-1123 subdomain. */
export const nameIsDNSSubdomain: ValidateNameFunc = (name, prefix) =>
  isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Namespaces and similar: a DNS-1123 label. */
export const nameIsDNSLabel: ValidateNameFunc = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Services: a DNS-1035 label. */
export const nameIsDNS1035Label: ValidateNameFunc = (name, prefix) =>
  isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** RBAC objects and others that only need to be usable in a URL path. */
export const validatePathSegmentName: ValidateNameFunc = (name, prefix) =>
  prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);

/** Namespace names (used for metadata.namespace of every namespaced object). */
export const validateNamespaceName: ValidateNameFunc = nameIsDNSLabel;
