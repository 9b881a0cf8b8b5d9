// --use-service-account-credentials (upstream's DynamicControllerClientBuilder): each controller talks to the
// API server as its own service account, kube-system/<name>, so RBAC grants it exactly its bootstrap role
// (system:controller:<name>). The manager's own identity creates the account if missing and asks the
// TokenRequest API for a token, which is renewed before it expires.
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlreadyExists, isNotFound } from '../apimachinery/errors.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { defaultUserAgent, type RESTConfig } from '../client/rest/config.js';
import type { Interface, KubeObject } from '../client/rest/interface.js';
import { newClient } from '../client/rest/rest-client.js';

const serviceAccounts = { group: '', version: 'v1', resource: 'serviceaccounts' };

/** Lifetime asked for each token (upstream's default for controller tokens). */
export const controllerTokenExpirationSeconds = 3600;

export interface ServiceAccountClientsOptions {
  /** The manager's own client: creates service accounts and requests their tokens. */
  rootClient: Interface;
  /** Where and how to reach the apiserver (host, CA, rate limits); its own credentials are not used. */
  config: RESTConfig;
  /** Namespace of the controllers' service accounts (upstream: kube-system). */
  namespace: string;
  clock: Clock;
  logger: Logger;
  /** Token renewal stops when this aborts. */
  signal: AbortSignal;
  expirationSeconds?: number;
}

interface TokenRequestStatus {
  status?: { token?: string; expirationTimestamp?: string };
}

/**
 * Hands out one client per controller name, authenticated with that service account's token. Tokens live in
 * files of a private directory (0600) that the clients re-read, so a renewed token is picked up without
 * rebuilding clients.
 */
export class ServiceAccountClients {
  private dir: Promise<string> | undefined;
  private readonly renewals: Promise<void>[] = [];
  private readonly clients = new Map<string, Promise<Interface>>();

  constructor(private readonly opts: ServiceAccountClientsOptions) {}

  /**
   * The client of controller `name` (the same one on every call, e.g. after leadership came back); rejects
   * when the account or its token cannot be had, and then the next call tries again.
   */
  clientFor(name: string): Promise<Interface> {
    let client = this.clients.get(name);
    if (!client) {
      client = this.newClientFor(name);
      this.clients.set(name, client);
      client.catch(() => this.clients.delete(name));
    }
    return client;
  }

  private async newClientFor(name: string): Promise<Interface> {
    await this.ensureServiceAccount(name);
    const dir = await (this.dir ??= mkdtemp(join(tmpdir(), 'k8ts-controller-tokens-')));
    const file = join(dir, name);
    const lifetimeMs = await this.writeToken(name, file);
    this.renewals.push(this.renewLoop(name, file, lifetimeMs));
    const { host, caData, serverName, insecure, qps, burst, timeout } = this.opts.config;
    return newClient({ host, caData, serverName, insecure, qps, burst, timeout, bearerTokenFile: file, userAgent: `${defaultUserAgent('kube-controller-manager')}/${name}` });
  }

  /** Stops renewing and removes the token files. */
  async close(): Promise<void> {
    await Promise.all(this.renewals);
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
  }

  private async ensureServiceAccount(name: string): Promise<void> {
    const accounts = this.opts.rootClient.resource(serviceAccounts, this.opts.namespace);
    try {
      await accounts.get(name);
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await accounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: this.opts.namespace } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }

  /** Requests a token, writes it atomically; returns its lifetime in ms. */
  private async writeToken(name: string, file: string): Promise<number> {
    const expirationSeconds = this.opts.expirationSeconds ?? controllerTokenExpirationSeconds;
    const reply = await this.opts.rootClient
      .resource(serviceAccounts, this.opts.namespace)
      .createSubresource<TokenRequestStatus & KubeObject>(name, 'token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds },
      });
    const token = reply.status?.token;
    if (!token) throw new Error(`no token in the TokenRequest reply for service account ${this.opts.namespace}/${name}`);
    const tmp = `${file}.tmp`;
    await writeFile(tmp, token, { mode: 0o600 });
    await chmod(tmp, 0o600);
    await rename(tmp, file);
    const expires = reply.status?.expirationTimestamp ? Date.parse(reply.status.expirationTimestamp) : NaN;
    return Number.isFinite(expires) ? Math.max(0, expires - this.opts.clock.now()) : expirationSeconds * 1000;
  }

  /** Renews at 80% of each token's lifetime; on failure retries after 10 s (bounded by the lifetime left). */
  private async renewLoop(name: string, file: string, lifetimeMs: number): Promise<void> {
    const { clock, signal, logger } = this.opts;
    let wait = lifetimeMs * 0.8;
    while (!signal.aborted) {
      try {
        await clock.sleep(wait, signal);
      } catch {
        return;
      }
      try {
        wait = (await this.writeToken(name, file)) * 0.8;
      } catch (err) {
        if (signal.aborted) return;
        logger.error('Could not renew the controller token; retrying', err, { serviceAccount: `${this.opts.namespace}/${name}` });
        wait = 10_000;
      }
    }
  }
}
