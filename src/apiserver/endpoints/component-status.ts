// The deprecated-but-served componentstatuses resource (`kubectl get cs`, still in many tutorials): the
// apiserver probes the scheduler and controller-manager health endpoints and its own storage.

import https from 'node:https';
import { newNotFound } from '../../apimachinery/errors.js';
import type { APIObject } from '../registry/strategy.js';

/** One component upstream's componentstatus REST checks. */
export interface ComponentProbe {
  name: string;
  /** Resolves to the health message, or rejects with the error text users see. */
  probe(signal: AbortSignal): Promise<string>;
}

/** GET https://127.0.0.1:<port>/healthz without verifying the certificate, as upstream's probes do. */
export function healthzProbe(name: string, port: number, timeoutMs = 2000): ComponentProbe {
  const url = `https://127.0.0.1:${port}/healthz`;
  return {
    name,
    probe: (signal) =>
      new Promise<string>((resolve, reject) => {
        const req = https.get(url, { rejectUnauthorized: false, timeout: timeoutMs, signal }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c.slice(0, 1024)));
          res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`unhealthy: HTTP ${res.statusCode}: ${body}`))));
        });
        req.on('timeout', () => req.destroy(new Error(`Get "${url}": context deadline exceeded`)));
        req.on('error', (err: NodeJS.ErrnoException) => {
          const reason = err.code === 'ECONNREFUSED' ? `dial tcp 127.0.0.1:${port}: connect: connection refused` : err.message;
          reject(new Error(`Get "${url}": ${reason}`));
        });
      }),
  };
}

/** The storage check, named like upstream's etcd servers. */
export function storageProbe(ping: () => Promise<unknown>): ComponentProbe {
  return {
    name: 'etcd-0',
    probe: async () => {
      await ping();
      return '{"health":"true","reason":""}';
    },
  };
}

async function statusOf(p: ComponentProbe, signal: AbortSignal): Promise<APIObject> {
  let condition: Record<string, string>;
  try {
    condition = { type: 'Healthy', status: 'True', message: await p.probe(signal) };
  } catch (err) {
    condition = { type: 'Healthy', status: 'False', error: (err as Error).message };
  }
  return { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name: p.name }, conditions: [condition] };
}

/** Serves LIST (all probes) and GET (one, 404 for unknown names) of componentstatuses. */
export class ComponentStatuses {
  constructor(private readonly probes: readonly ComponentProbe[]) {}

  async list(signal: AbortSignal): Promise<APIObject> {
    const items = await Promise.all(this.probes.map((p) => statusOf(p, signal)));
    return { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items };
  }

  async get(name: string, signal: AbortSignal): Promise<APIObject> {
    const p = this.probes.find((x) => x.name === name);
    if (!p) throw newNotFound({ group: '', resource: 'componentstatuses' }, name);
    return statusOf(p, signal);
  }
}

/** Upstream's probes: scheduler (10259) and controller-manager (10257) secure ports, and storage. */
export function defaultComponentProbes(ping: () => Promise<unknown>): ComponentProbe[] {
  return [healthzProbe('scheduler', 10259), healthzProbe('controller-manager', 10257), storageProbe(ping)];
}
