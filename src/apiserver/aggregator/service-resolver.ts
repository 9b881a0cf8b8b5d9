// Where an APIService's Service is reached (upstream's aggregator endpoint routing, --enable-aggregator-routing):
// an ExternalName Service → its externalName; any other Service → a ready EndpointSlice address on the
// target port. k8ts has no service proxy, so cluster IPs are never dialled.

import type { Service } from '../../api/generated/core/v1.js';
import type { EndpointSlice } from '../../api/generated/discovery/v1.js';

/** Read access to the Services and EndpointSlices the resolver needs (the apiserver's watch caches). */
export interface ServiceSource {
  service(namespace: string, name: string): Service | undefined;
  /** The EndpointSlices labelled kubernetes.io/service-name=`service` in `namespace`. */
  endpointSlices(namespace: string, service: string): EndpointSlice[];
}

/** A dialable backend, or why there is none (upstream's error texts). */
export type ResolvedEndpoint = { host: string; port: number } | { error: string; reason: 'ServiceNotFound' | 'ServicePortError' | 'MissingEndpoints' };

/** The name a backend's serving certificate must carry (upstream's TLS ServerName for a service). */
export function serviceServerName(namespace: string, name: string): string {
  return `${name}.${namespace}.svc`;
}

/**
 * Resolves `namespace/name` on `port` (the APIService's spec.service.port, a Service port). Among several
 * ready addresses one is picked with `random` (default Math.random), spreading requests as upstream does.
 */
export function resolveEndpoint(source: ServiceSource, ref: { namespace: string; name: string; port: number }, random: () => number = Math.random): ResolvedEndpoint {
  const svc = source.service(ref.namespace, ref.name);
  if (!svc) return { reason: 'ServiceNotFound', error: `service "${ref.name}" not found` };
  if (svc.spec?.type === 'ExternalName') {
    const host = svc.spec.externalName ?? '';
    if (!host) return { reason: 'ServiceNotFound', error: `service "${ref.name}" has no externalName` };
    return { host, port: ref.port };
  }
  const svcPort = svc.spec?.ports?.find((p) => p.port === ref.port);
  if (!svcPort) return { reason: 'ServicePortError', error: `no service port ${ref.port} found for service "${ref.name}"` };
  const portName = svcPort.name ?? '';
  const candidates: Array<{ host: string; port: number }> = [];
  for (const slice of source.endpointSlices(ref.namespace, ref.name)) {
    const port = slice.ports?.find((p) => (p.name ?? '') === portName)?.port;
    if (port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      // Unset "ready" means ready (upstream's EndpointSlice contract).
      if (ep.conditions?.ready === false) continue;
      const address = ep.addresses[0];
      if (address) candidates.push({ host: address, port });
    }
  }
  if (candidates.length === 0) return { reason: 'MissingEndpoints', error: `no endpoints available for service "${ref.name}"` };
  return candidates[Math.floor(random() * candidates.length) % candidates.length]!;
}
