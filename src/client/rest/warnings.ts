// Warning headers on API replies (deprecations, field validation "Warn" mode): parsed as RFC 7234 warnings,
// of which client-go hands code 299 to a WarningHandler.
/** Receives each warning message once per reply. */
export type WarningHandler = (message: string) => void;

const warningPattern = /(\d{3}) (\S+) "((?:[^"\\]|\\.)*)"(?: "[^"]*")?/g;

/** The texts of the code-299 warnings in Warning header values, in order. */
export function parseWarnings(values: string | string[] | undefined): string[] {
  if (values === undefined) return [];
  const out: string[] = [];
  for (const value of Array.isArray(values) ? values : [values]) {
    for (const m of value.matchAll(warningPattern)) {
      if (m[1] === '299') out.push(m[3]!.replace(/\\(.)/g, '$1'));
    }
  }
  return out;
}
