// Table tests for the networking.k8s.io and discovery.k8s.io printers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { APIObject } from '../registry/strategy.js';
import {
  endpointSlicePrinter,
  formatIngressHosts,
  ingressClassPrinter,
  ingressPrinter,
  ipAddressPrinter,
  networkPolicyPrinter,
  serviceCIDRPrinter,
} from './networking-printers.js';
import type { TablePrinter } from './table.js';

const now = Date.parse('2026-03-01T12:00:00Z');
const meta = (name: string) => ({ name, creationTimestamp: '2026-03-01T11:00:00Z' });

function cells(printer: TablePrinter, obj: object): unknown[] {
  const row = printer.printRow(obj as APIObject, now);
  assert.equal(row.cells.length, printer.columnDefinitions.length, 'one cell per column');
  return row.cells;
}

test('ingress hosts: first three, then "+ N more..." counting rules', () => {
  const rules = (...hosts: Array<string | undefined>) => hosts.map((host) => (host === undefined ? {} : { host }));
  const cases: Array<[object[] | undefined, string]> = [
    [undefined, '*'],
    [rules(undefined), '*'],
    [rules('a.example'), 'a.example'],
    [rules('a', undefined, 'b'), 'a,b'],
    [rules('a', 'b', 'c'), 'a,b,c'],
    [rules('a', 'b', 'c', 'd', 'e'), 'a,b,c + 2 more...'],
    [rules('a', 'b', 'c', undefined), 'a,b,c + 1 more...'],
  ];
  for (const [r, want] of cases) assert.equal(formatIngressHosts(r as never), want, JSON.stringify(r));
});

test('networking printers', () => {
  const cases: Array<{ name: string; printer: TablePrinter; obj: object; want: unknown[] }> = [
    {
      name: 'ingress with TLS and addresses',
      printer: ingressPrinter,
      obj: {
        metadata: meta('web'),
        spec: { ingressClassName: 'nginx', rules: [{ host: 'web.example.com' }], tls: [{ hosts: ['web.example.com'] }] },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }, { hostname: 'lb.example.com' }] } },
      },
      want: ['web', 'nginx', 'web.example.com', '203.0.113.5,lb.example.com', '80, 443', '60m'],
    },
    { name: 'plain ingress', printer: ingressPrinter, obj: { metadata: meta('x'), spec: {} }, want: ['x', '<none>', '*', '', '80', '60m'] },
    {
      name: 'ingress class with parameters',
      printer: ingressClassPrinter,
      obj: { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'p' } } },
      want: ['nginx', 'k8s.io/ingress-nginx', 'IngressParameters.k8s.example.com/p', '60m'],
    },
    { name: 'ingress class without parameters', printer: ingressClassPrinter, obj: { metadata: meta('c'), spec: { controller: 'x' } }, want: ['c', 'x', '<none>', '60m'] },
    {
      name: 'network policy',
      printer: networkPolicyPrinter,
      obj: { metadata: meta('deny'), spec: { podSelector: { matchLabels: { role: 'db' } } } },
      want: ['deny', 'role=db', '60m'],
    },
    { name: 'network policy for all pods', printer: networkPolicyPrinter, obj: { metadata: meta('all'), spec: { podSelector: {} } }, want: ['all', '<none>', '60m'] },
    {
      name: 'ip address of a service',
      printer: ipAddressPrinter,
      obj: { metadata: meta('10.96.0.1'), spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'kubernetes' } } },
      want: ['10.96.0.1', 'services/default/kubernetes'],
    },
    {
      name: 'ip address with a grouped parent',
      printer: ipAddressPrinter,
      obj: { metadata: meta('10.0.0.5'), spec: { parentRef: { group: 'Gateway.Networking.k8s.io', resource: 'Gateways', name: 'gw' } } },
      want: ['10.0.0.5', 'gateways.gateway.networking.k8s.io/gw'],
    },
    { name: 'service CIDR', printer: serviceCIDRPrinter, obj: { metadata: meta('kubernetes'), spec: { cidrs: ['10.96.0.0/12', 'fd00::/108'] } }, want: ['kubernetes', '10.96.0.0/12,fd00::/108', '60m'] },
    {
      name: 'endpoint slice',
      printer: endpointSlicePrinter,
      obj: {
        metadata: meta('web-abc'),
        addressType: 'IPv4',
        ports: [{ port: 80 }, { name: 'metrics' }, {}, { port: 9090 }],
        endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3'] }],
      },
      want: ['web-abc', 'IPv4', '80,metrics,* + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3', '60m'],
    },
    { name: 'empty endpoint slice', printer: endpointSlicePrinter, obj: { metadata: meta('e'), addressType: 'IPv6' }, want: ['e', 'IPv6', '<unset>', '<unset>', '60m'] },
  ];
  for (const c of cases) assert.deepEqual(cells(c.printer, c.obj), c.want, c.name);
});
