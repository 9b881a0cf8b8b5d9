// A pod's DNS settings and tolerations (upstream validatePodDNSConfig and ValidateTolerations): dnsPolicy None
// needs a dnsConfig with a nameserver, at most 3 nameservers (IPs) and 32 search domains (2048 characters,
// DNS-1123 subdomains), named options; toleration keys, operators, values and effects.

import { invalid, notSupported, required, type FieldError } from '../../../apimachinery/field-error.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../apimachinery/validation/names.js';
import { isValidIP } from '../name-checks.js';
import { asObject, asObjectList, type JSONObject } from '../object-paths.js';

const maxNameservers = 3;
const maxSearchPaths = 32;
const maxSearchListChars = 2048;

/** spec.dnsConfig (at `path`) with the pod's dnsPolicy. */
export function validatePodDNSConfig(spec: JSONObject, path: string): FieldError[] {
  const config = asObject(spec.dnsConfig);
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    const ns = Array.isArray(config.nameservers) ? config.nameservers : [];
    if (ns.length === 0) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!config) return [];
  const errs: FieldError[] = [];
  const nameservers = (Array.isArray(config.nameservers) ? config.nameservers : []) as unknown[];
  if (nameservers.length > maxNameservers) errs.push(invalid(`${path}.nameservers`, nameservers, `must not have more than ${maxNameservers} nameservers`));
  nameservers.forEach((ip, i) => {
    for (const msg of isValidIP(String(ip))) errs.push(invalid(`${path}.nameservers[${i}]`, ip, msg));
  });
  const searches = (Array.isArray(config.searches) ? config.searches : []).map(String);
  if (searches.length > maxSearchPaths) errs.push(invalid(`${path}.searches`, searches, `must not have more than ${maxSearchPaths} search paths`));
  if (searches.join(' ').length > maxSearchListChars) {
    errs.push(invalid(`${path}.searches`, searches, `must not have more than ${maxSearchListChars} characters (including spaces) in the search list`));
  }
  searches.forEach((search, i) => {
    if (i === 0 && search === '.') return; // "." first: search only the cluster's own domains
    const name = search.endsWith('.') ? search.slice(0, -1) : search;
    for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(`${path}.searches[${i}]`, name, msg));
  });
  asObjectList(config.options).forEach((o, i) => {
    if (typeof o.name !== 'string' || o.name === '') errs.push(required(`${path}.options[${i}]`, 'Option.Name must not be empty'));
  });
  return errs;
}

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** spec.tolerations at `path`. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asObjectList(tolerations).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = typeof t.key === 'string' ? t.key : '';
    const operator = typeof t.operator === 'string' ? t.operator : '';
    const value = typeof t.value === 'string' ? t.value : '';
    const effect = typeof t.effect === 'string' ? t.effect : '';
    if (key !== '') for (const msg of isQualifiedName(key)) errs.push(invalid(`${p}.key`, key, msg));
    if (key === '' && operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const problems = isValidLabelValue(value);
      if (problems.length) errs.push(invalid(`${p}.operator`, value, problems.join(';')));
    } else if (operator === 'Exists') {
      if (value !== '') errs.push(invalid(`${p}.operator`, t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !taintEffects.includes(effect)) errs.push(notSupported(`${p}.effect`, effect, taintEffects));
  });
  return errs;
}
