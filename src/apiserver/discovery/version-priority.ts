// Kubernetes-aware ordering of API versions (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else), used
// for groups that have no entry in the upstream priority table (CRDs, future groups).

interface ParsedVersion {
  major: number;
  /** 3 = GA, 2 = beta, 1 = alpha. */
  stability: number;
  minor: number;
}

function parse(version: string): ParsedVersion | undefined {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return undefined;
  const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
  return { major: Number(m[1]), stability, minor: m[3] === undefined ? 0 : Number(m[3]) };
}

/**
 * Compares two versions for sorting, preferred first: GA before beta before alpha, then higher major, then
 * higher minor; versions that do not look like Kubernetes versions come last, in alphabetical order.
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb.stability - pa.stability || pb.major - pa.major || pb.minor - pa.minor;
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
