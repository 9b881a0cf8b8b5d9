// The CSR cleaner (upstream pkg/controller/certificates/cleaner): every hour deletes requests that are done
// with — approved/denied/failed more than an hour ago, pending for more than a day, or whose issued
// certificate has expired.
import { X509Certificate } from 'node:crypto';
import { isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import { waitForCacheSync } from '../../worker-loop.js';
import { csrsResource, isIssued, type CertificateSigningRequest } from './csr.js';

const hour = 3_600_000;
export const cleanerPollingIntervalMs = hour;
const approvedExpirationMs = hour;
const deniedExpirationMs = hour;
const failedExpirationMs = hour;
const pendingExpirationMs = 24 * hour;

/** Why `csr` should go now, or undefined to keep it (upstream's isIssuedExpired … isPendingPastDeadline). */
export function cleanupReason(csr: CertificateSigningRequest, now: number): string | undefined {
  if (isIssued(csr)) {
    try {
      const cert = new X509Certificate(Buffer.from(csr.status!.certificate!, 'base64'));
      if (Date.parse(cert.validTo) < now) return 'its certificate has expired';
    } catch {
      // Not a certificate we can read: fall through to the deadlines.
    }
  }
  const conditions = csr.status?.conditions ?? [];
  const pastDeadline = (type: string, ttl: number): boolean =>
    conditions.some((c) => c.type === type && c.status !== 'False' && c.lastUpdateTime !== undefined && Date.parse(c.lastUpdateTime) + ttl < now);
  if (pastDeadline('Approved', approvedExpirationMs) && isIssued(csr)) return 'it is more than 1h0m0s old and approved';
  if (pastDeadline('Denied', deniedExpirationMs)) return 'it is more than 1h0m0s old and denied';
  if (pastDeadline('Failed', failedExpirationMs)) return 'it is more than 1h0m0s old and failed';
  const pending = !conditions.some((c) => ['Approved', 'Denied', 'Failed'].includes(c.type));
  const created = csr.metadata?.creationTimestamp ? Date.parse(csr.metadata.creationTimestamp) : now;
  if (pending && created + pendingExpirationMs < now) return 'it is more than 24h0m0s old and unhandled';
  return undefined;
}

export interface CleanerDeps {
  client: Interface;
  csrs: InformerHandle<CertificateSigningRequest>;
  clock: Clock;
  logger: Logger;
}

export class CSRCleanerController implements Controller {
  readonly name = 'certificatesigningrequest-cleaner-controller';

  constructor(private readonly deps: CleanerDeps) {}

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    try {
      await waitForCacheSync({ signal: opts.signal, clock: deps.clock }, () => deps.csrs.informer.hasSynced());
      for (;;) {
        await this.cleanAll();
        await deps.clock.sleep(cleanerPollingIntervalMs, opts.signal);
      }
    } catch {
      // aborted
    }
  }

  /** One pass: deletes every request `cleanupReason` gives a reason for. */
  async cleanAll(): Promise<void> {
    const now = this.deps.clock.now();
    for (const csr of this.deps.csrs.lister.list()) {
      const reason = cleanupReason(csr, now);
      if (!reason) continue;
      const name = csr.metadata!.name!;
      this.deps.logger.info(`Cleaning CSR as ${reason}`, { csr: name });
      try {
        await this.deps.client.resource(csrsResource).delete(name);
      } catch (err) {
        if (!isNotFound(err)) this.deps.logger.error('Unable to delete CSR', err, { csr: name });
      }
    }
  }
}

/** The registry's constructor. */
export function newCSRCleanerController(ctx: ControllerContext): Controller {
  return new CSRCleanerController({
    client: ctx.client,
    csrs: ctx.informers.forResource<CertificateSigningRequest>(csrsResource),
    clock: ctx.clock,
    logger: ctx.logger.withName('csrcleaner'),
  });
}
