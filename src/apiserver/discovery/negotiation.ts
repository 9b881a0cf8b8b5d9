// Chooses the discovery document format from the Accept header: aggregated v2 or v2beta1 when the client
// names that exact type, otherwise the legacy JSON documents.
import type { AggregatedVersion } from './aggregated.js';

export type DiscoveryFormat =
  | { kind: 'legacy'; contentType: 'application/json' }
  | { kind: 'aggregated'; version: AggregatedVersion; contentType: string };

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
  index: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((text, index) => {
      const [head, ...rest] = text.split(';');
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
      }
      const q = params.has('q') ? Number(params.get('q')) : 1;
      return { type: (head ?? '').trim().toLowerCase(), params, q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((r) => r.type !== '' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

const jsonTypes = new Set(['application/json', 'application/*', '*/*']);

/**
 * The first acceptable format in the client's preference order (q, then position). A range asking for
 * `as=APIGroupDiscoveryList;g=apidiscovery.k8s.io;v=v2|v2beta1` in JSON selects that exact aggregated version
 * (a client that asked only for v2beta1 must never get v2: it would misread it). Plain JSON or a wildcard
 * selects legacy. Ranges we cannot produce (protobuf, YAML, other conversions) are skipped so the client's
 * own fallbacks apply; no header at all means legacy JSON. Returns undefined when nothing is acceptable.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat | undefined {
  if (accept === undefined || accept.trim() === '') return { kind: 'legacy', contentType: 'application/json' };
  for (const r of parseAccept(accept)) {
    if (!jsonTypes.has(r.type)) continue;
    const as = r.params.get('as');
    if (as === undefined) {
      if (r.params.has('g') || r.params.has('v')) continue;
      return { kind: 'legacy', contentType: 'application/json' };
    }
    const version = r.params.get('v');
    if (as === 'APIGroupDiscoveryList' && r.params.get('g') === 'apidiscovery.k8s.io' && (version === 'v2' || version === 'v2beta1')) {
      return {
        kind: 'aggregated',
        version,
        contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
      };
    }
  }
  return undefined;
}
