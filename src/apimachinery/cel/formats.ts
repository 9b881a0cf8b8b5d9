// The Kubernetes CEL format library: `format.dns1123Label()`, `format.named("uuid")`… return a format whose
// validate(string) is optional.none() when the string conforms, or optional.of(the list of errors).

import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { CELOptional } from './values.js';

/** A named string format (a value of the CEL type `kubernetes.NamedFormat`). */
export class CELFormat {
  readonly celType = 'kubernetes.NamedFormat';
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {}
  /** optional.none() when valid, else optional.of(errors). */
  validate(s: string): CELOptional {
    const errs = this.check(s);
    return errs.length === 0 ? CELOptional.none : CELOptional.of(errs);
  }
}

/** Prefix forms accept a trailing '-' (generateName prefixes), checked without it. */
const prefixOf = (check: (s: string) => string[]) => (s: string) => check(s.endsWith('-') ? s.slice(0, -1) : s);

const pattern = (re: RegExp, message: string) => (s: string) => (re.test(s) ? [] : [message]);

const checks: Record<string, (s: string) => string[]> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
  qualifiedName: isQualifiedName,
  dns1123LabelPrefix: prefixOf(isDNS1123Label),
  dns1123SubdomainPrefix: prefixOf(isDNS1123Subdomain),
  dns1035LabelPrefix: prefixOf(isDNS1035Label),
  labelValue: isValidLabelValue,
  uuid: pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'does not match the UUID format'),
  byte: pattern(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'invalid base64'),
  date: pattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'invalid date'),
  datetime: pattern(/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/, 'invalid datetime'),
  uri: (s) => {
    try {
      new URL(s);
      return [];
    } catch {
      return ['invalid URI'];
    }
  },
};

/** Names the format library knows (`format.<name>()`, `format.named("<name>")`). */
export const formatNames: readonly string[] = Object.keys(checks);

/** The format called `name`, or undefined. */
export function namedFormat(name: string): CELFormat | undefined {
  const check = checks[name];
  return check ? new CELFormat(name, check) : undefined;
}
