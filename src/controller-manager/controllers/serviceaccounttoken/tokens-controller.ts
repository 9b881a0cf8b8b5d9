// The service account tokens controller (upstream pkg/controller/serviceaccount TokensController): fills the
// `kubernetes.io/service-account-token` secrets users create with a signed legacy token, `ca.crt` and
// `namespace`; deletes token secrets whose service account is gone and drops deleted secrets from the
// account's `secrets` list.
import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isConflict, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { DeletedFinalStateUnknown } from '../../../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../../../client/cache/keys.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { JWSSigner } from '../../../pki/jws.js';
import { parsePrivateKeyPEM } from '../../../pki/keys.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { rootCAFromOptions } from '../rootcacertpublisher/publisher.js';
import { serviceAccountsResource } from '../serviceaccount/serviceaccounts-controller.js';
import { legacyClaims } from './legacy-claims.js';

type ServiceAccount = Typed<corev1.ServiceAccount>;
type Secret = Typed<corev1.Secret>;

export const secretsResource = { group: '', version: 'v1', resource: 'secrets' } as const;

export const serviceAccountTokenSecretType = 'kubernetes.io/service-account-token';
export const serviceAccountNameKey = 'kubernetes.io/service-account.name';
export const serviceAccountUIDKey = 'kubernetes.io/service-account.uid';
/** upstream's field selector for the token secrets informer. */
export const tokenSecretsFieldSelector = `type=${serviceAccountTokenSecretType}`;

/** upstream maxRetries for both queues. */
const maxRetries = 10;

/** What a queued secret key carries: enough to clean up after the secret is gone from every cache. */
interface SecretKey {
  namespace: string;
  name: string;
  uid: string;
  saName: string;
  saUID: string;
}

interface ServiceAccountKey {
  namespace: string;
  name: string;
  uid: string;
}

export interface TokensControllerDeps {
  client: Interface;
  serviceAccounts: InformerHandle<ServiceAccount>;
  /** Only secrets of type kubernetes.io/service-account-token. */
  secrets: InformerHandle<Secret>;
  /** Signs legacy tokens (--service-account-private-key-file). */
  signer: { sign(claims: Record<string, unknown>): string };
  /** PEM put in `ca.crt`; empty: no `ca.crt`. */
  rootCA: string;
  serviceAccountQueue: RateLimitingQueue<string>;
  secretQueue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

function unwrap<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
}

export class TokensController implements Controller {
  readonly name = 'serviceaccount-token-controller';

  constructor(private readonly deps: TokensControllerDeps) {
    const queueAccount = (sa: ServiceAccount) => deps.serviceAccountQueue.add(JSON.stringify(accountKey(sa)));
    deps.serviceAccounts.informer.addEventHandler({
      onAdd: queueAccount,
      onUpdate: (_old, sa) => queueAccount(sa),
      onDelete: (obj) => queueAccount(unwrap(obj)),
    });
    const queueSecret = (s: Secret) => {
      if (s.type === serviceAccountTokenSecretType) deps.secretQueue.add(JSON.stringify(secretKey(s)));
    };
    deps.secrets.informer.addEventHandler({
      onAdd: queueSecret,
      onUpdate: (_old, s) => queueSecret(s),
      onDelete: (obj) => queueSecret(unwrap(obj)),
    });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    const common = {
      hasSynced: [() => deps.serviceAccounts.informer.hasSynced(), () => deps.secrets.informer.hasSynced()],
      workers: opts.workers,
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
      maxRetries,
    };
    return Promise.all([
      runAfterCacheSync({ ...common, name: this.name, queue: deps.serviceAccountQueue, sync: (k) => this.syncServiceAccount(JSON.parse(k) as ServiceAccountKey) }),
      runAfterCacheSync({ ...common, name: this.name, queue: deps.secretQueue, sync: (k) => this.syncSecret(JSON.parse(k) as SecretKey) }),
    ]).then(() => undefined);
  }

  /** A deleted service account takes its token secrets with it; a live one needs nothing. */
  async syncServiceAccount(key: ServiceAccountKey): Promise<void> {
    const sa = await this.getServiceAccount(key.namespace, key.name, key.uid, false);
    if (sa) return;
    for (const secret of this.deps.secrets.lister.namespace(key.namespace).list()) {
      if (!referencesAccount(secret, key.name, key.uid)) continue;
      await this.deleteToken(key.namespace, secret.metadata?.name ?? '', secret.metadata?.uid ?? '');
    }
  }

  /** upstream syncSecret: gone → unlist from its account; orphaned → delete; otherwise fill in what is missing. */
  async syncSecret(key: SecretKey): Promise<void> {
    const secret = await this.getSecret(key.namespace, key.name, key.uid, true);
    if (!secret) {
      await this.removeSecretReference(key);
      return;
    }
    const sa = await this.getServiceAccount(key.namespace, key.saName, key.saUID, true);
    if (!sa) {
      await this.deleteToken(key.namespace, key.name, key.uid);
      return;
    }
    await this.generateTokenIfNeeded(sa, key);
  }

  private async generateTokenIfNeeded(sa: ServiceAccount, key: SecretKey): Promise<void> {
    const secrets = this.deps.client.resource<Secret>(secretsResource, key.namespace);
    let live: Secret;
    try {
      live = await secrets.get(key.name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (live.metadata?.uid !== key.uid) return;
    const data = { ...live.data };
    const decoded = (k: string) => (data[k] === undefined ? '' : Buffer.from(data[k], 'base64').toString('utf8'));
    const needsCA = this.deps.rootCA !== '' && decoded('ca.crt') !== this.deps.rootCA;
    const needsNamespace = decoded('namespace') === '';
    const needsToken = decoded('token') === '';
    if (!needsCA && !needsNamespace && !needsToken) return;
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    if (needsCA) data['ca.crt'] = b64(this.deps.rootCA);
    data.namespace = b64(key.namespace);
    if (needsToken) {
      const claims = legacyClaims({
        namespace: key.namespace,
        serviceAccountName: sa.metadata?.name ?? '',
        serviceAccountUID: sa.metadata?.uid ?? '',
        secretName: key.name,
      });
      data.token = b64(this.deps.signer.sign(claims));
    }
    const annotations = { ...live.metadata?.annotations, [serviceAccountNameKey]: sa.metadata?.name ?? '', [serviceAccountUIDKey]: sa.metadata?.uid ?? '' };
    try {
      await secrets.update({ ...live, data, metadata: { ...live.metadata, annotations } });
    } catch (err) {
      // Gone or changed meanwhile: the secret's own events bring it back here.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** Deletes a token secret, only that incarnation of it (uid precondition). */
  private async deleteToken(namespace: string, name: string, uid: string): Promise<void> {
    try {
      await this.deps.client.resource<Secret>(secretsResource, namespace).delete(name, uid ? { preconditions: { uid } } : undefined);
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /** Drops a deleted secret from its account's `secrets` list (leftovers of auto-generated tokens). */
  private async removeSecretReference(key: SecretKey): Promise<void> {
    const accounts = this.deps.client.resource<ServiceAccount>(serviceAccountsResource, key.namespace);
    let sa: ServiceAccount;
    try {
      sa = await accounts.get(key.saName);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (key.saUID && sa.metadata?.uid !== key.saUID) return;
    const kept = (sa.secrets ?? []).filter((ref) => ref.name !== key.name);
    if (kept.length === (sa.secrets ?? []).length) return;
    try {
      await accounts.update({ ...sa, secrets: kept });
    } catch (err) {
      // A conflict is retried with the fresh account.
      if (!isNotFound(err)) throw err;
    }
  }

  /** From the cache; on a miss (when asked) from the server. A uid that does not match counts as gone. */
  private async getServiceAccount(namespace: string, name: string, uid: string, fetchOnCacheMiss: boolean): Promise<ServiceAccount | undefined> {
    const cached = this.deps.serviceAccounts.lister.namespace(namespace).get(name);
    if (cached && (!uid || cached.metadata?.uid === uid)) return cached;
    if (!fetchOnCacheMiss) return undefined;
    try {
      const live = await this.deps.client.resource<ServiceAccount>(serviceAccountsResource, namespace).get(name);
      return !uid || live.metadata?.uid === uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async getSecret(namespace: string, name: string, uid: string, fetchOnCacheMiss: boolean): Promise<Secret | undefined> {
    const cached = this.deps.secrets.lister.namespace(namespace).get(name);
    if (cached && cached.metadata?.uid === uid) return cached;
    if (!fetchOnCacheMiss) return undefined;
    try {
      const live = await this.deps.client.resource<Secret>(secretsResource, namespace).get(name);
      return live.metadata?.uid === uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

function accountKey(sa: ServiceAccount): ServiceAccountKey {
  return { namespace: sa.metadata?.namespace ?? '', name: sa.metadata?.name ?? '', uid: sa.metadata?.uid ?? '' };
}

function secretKey(s: Secret): SecretKey {
  const a = s.metadata?.annotations ?? {};
  return { namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '', uid: s.metadata?.uid ?? '', saName: a[serviceAccountNameKey] ?? '', saUID: a[serviceAccountUIDKey] ?? '' };
}

/** Whether a token secret belongs to the account (by name, and by uid when the secret records one). */
function referencesAccount(secret: Secret, name: string, uid: string): boolean {
  const a = secret.metadata?.annotations ?? {};
  if (secret.type !== serviceAccountTokenSecretType || a[serviceAccountNameKey] !== name) return false;
  return !a[serviceAccountUIDKey] || !uid || a[serviceAccountUIDKey] === uid;
}

/** The registry's constructor: disabled (as upstream) without --service-account-private-key-file. */
export function newTokensController(ctx: ControllerContext): Controller {
  const name = 'serviceaccount-token-controller';
  const logger = ctx.logger.withName('serviceaccount-token');
  if (!ctx.options.serviceAccountPrivateKeyFile) {
    logger.info('Controller is disabled because there is no private key', { controller: name });
    return { name, run: async () => {} };
  }
  let key: KeyObject;
  try {
    key = parsePrivateKeyPEM(readFileSync(ctx.options.serviceAccountPrivateKeyFile));
  } catch (err) {
    logger.error('Not starting the controller: cannot read --service-account-private-key-file', err, { controller: name });
    return { name, run: async () => {} };
  }
  let rootCA = '';
  try {
    rootCA = rootCAFromOptions(ctx.options);
  } catch {
    // Tokens without ca.crt, as upstream when it has no CA.
  }
  return new TokensController({
    client: ctx.client,
    serviceAccounts: ctx.informers.forResource<ServiceAccount>(serviceAccountsResource),
    secrets: ctx.informers.forResource<Secret>(secretsResource, { fieldSelector: tokenSecretsFieldSelector }),
    signer: new JWSSigner(key),
    rootCA,
    serviceAccountQueue: ctx.newQueue('serviceaccount_tokens_service'),
    secretQueue: ctx.newQueue('serviceaccount_tokens_secret'),
    clock: ctx.clock,
    logger,
    metrics: ctx.metrics,
  });
}
