// Printers for networking.k8s.io (Ingress, IngressClass, NetworkPolicy, IPAddress, ServiceCIDR) and
// discovery.k8s.io EndpointSlices. Columns and cells follow upstream pkg/printers/internalversion.

import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/generated/discovery/v1.js';
import type { IPAddress, Ingress, IngressClass, IngressRule, NetworkPolicy, ServiceCIDR } from '../../api/generated/networking/v1.js';
import { formatLabelSelector, listWithMore } from './cell-formats.js';
import { loadBalancerIngresses } from './core-printers.js';
import { timestampSince } from './human-duration.js';
import { ageColumn, column, nameColumn, tablePrinter } from './table.js';

/**
 * upstream formatHosts: the first three non-empty hosts; once three are listed, any further rule
 * (with or without a host) makes it " + N more..." where N counts the rules beyond three. "*" when none.
 */
export function formatIngressHosts(rules: readonly IngressRule[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const text = list.join(',');
  return more ? `${text} + ${(rules?.length ?? 0) - max} more...` : text;
}

export const ingressPrinter = tablePrinter<Ingress>(
  [
    nameColumn,
    column('Class', 'string', 'The IngressClass that implements the ingress.'),
    column('Hosts', 'string', 'Hosts the rules match.'),
    column('Address', 'string', 'Addresses of the load balancer serving the ingress.'),
    column('Ports', 'string', 'Ports the ingress listens on (443 when TLS is configured).'),
    ageColumn,
  ],
  (ing, now) => [
    ing.metadata?.name ?? '',
    ing.spec?.ingressClassName ?? '<none>',
    formatIngressHosts(ing.spec?.rules),
    loadBalancerIngresses(ing.status?.loadBalancer?.ingress).join(','),
    (ing.spec?.tls?.length ?? 0) > 0 ? '80, 443' : '80',
    timestampSince(ing.metadata?.creationTimestamp, now),
  ],
);

export const ingressClassPrinter = tablePrinter<IngressClass>(
  [
    nameColumn,
    column('Controller', 'string', 'The controller that implements the class.'),
    column('Parameters', 'string', 'The resource holding further configuration, as kind.group/name.'),
    ageColumn,
  ],
  (ic, now) => {
    const p = ic.spec?.parameters;
    const parameters = p ? `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>';
    return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters, timestampSince(ic.metadata?.creationTimestamp, now)];
  },
);

export const networkPolicyPrinter = tablePrinter<NetworkPolicy>(
  [nameColumn, column('Pod-Selector', 'string', 'The pods the policy applies to.'), ageColumn],
  (np, now) => [
    np.metadata?.name ?? '',
    formatLabelSelector(np.spec?.podSelector ?? {}),
    timestampSince(np.metadata?.creationTimestamp, now),
  ],
);

/**
 * IP addresses print NAME and PARENTREF only. (Upstream's print function also emits an age cell that
 * has no column; it is left out so that every row has exactly one cell per column.)
 */
export const ipAddressPrinter = tablePrinter<IPAddress>(
  [nameColumn, column('ParentRef', 'string', 'The object the address is allocated to, as resource.group/namespace/name.')],
  (ip) => {
    const ref = ip.spec?.parentRef;
    let parent = '<none>';
    if (ref) {
      parent = (ref.group ? `${ref.resource}.${ref.group}` : ref.resource).toLowerCase();
      if (ref.namespace) parent += `/${ref.namespace}`;
      parent += `/${ref.name}`;
    }
    return [ip.metadata?.name ?? '', parent];
  },
);

export const serviceCIDRPrinter = tablePrinter<ServiceCIDR>(
  [nameColumn, column('CIDRs', 'string', 'The ranges service cluster IPs are allocated from.'), ageColumn],
  (sc, now) => [sc.metadata?.name ?? '', (sc.spec?.cidrs ?? []).join(','), timestampSince(sc.metadata?.creationTimestamp, now)],
);

function slicePorts(ports: readonly EndpointPort[] | undefined): string {
  return listWithMore((ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*')));
}

function sliceEndpoints(endpoints: readonly Endpoint[] | undefined): string {
  return listWithMore((endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

export const endpointSlicePrinter = tablePrinter<EndpointSlice>(
  [
    nameColumn,
    column('AddressType', 'string', 'IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Port numbers (or names) of the slice.'),
    column('Endpoints', 'string', 'Endpoint addresses.'),
    ageColumn,
  ],
  (slice, now) => [
    slice.metadata?.name ?? '',
    slice.addressType ?? '',
    slicePorts(slice.ports),
    sliceEndpoints(slice.endpoints),
    timestampSince(slice.metadata?.creationTimestamp, now),
  ],
);
