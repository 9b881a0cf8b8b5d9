// The CSR signing controller (upstream pkg/controller/certificates/signer): issues certificates for
// approved CertificateSigningRequests of the four built-in kubernetes.io signers, each with its CA
// (--cluster-signing-<signer>-cert/key-file, else --cluster-signing-cert/key-file), validity capped by
// --cluster-signing-duration; requests a signer must not issue get the Failed condition.
import { readFileSync } from 'node:fs';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { parseCertificateAuthority, type CertificateAuthority } from '../../../pki/certificate.js';
import { parseCSR, signCSR, type CSRUsage } from '../../../pki/csr.js';
import { metaTime } from '../../conditions.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { signingSignerFlagNames, type ControllerManagerOptions } from '../../options.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import {
  csrsResource,
  hasFailed,
  isApproved,
  isIssued,
  requestPEM,
  validateForSigner,
  type CertificateSigningRequest,
} from './csr.js';

/** The shortest certificate issued for a spec.expirationSeconds (twice the 5-minute backdate). */
const minDurationSeconds = 600;

export interface SigningDeps {
  client: Interface;
  csrs: InformerHandle<CertificateSigningRequest>;
  /** The CA of each signer this controller runs (signer name → CA). */
  signers: Map<string, CertificateAuthority>;
  /** --cluster-signing-duration in seconds. */
  certTTLSeconds: number;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class CSRSigningController implements Controller {
  readonly name = 'certificatesigningrequest-signing-controller';

  constructor(private readonly deps: SigningDeps) {
    const enqueue = (csr: CertificateSigningRequest): void => {
      if (deps.signers.has(csr.spec?.signerName)) deps.queue.add(csr.metadata!.name!);
    };
    deps.csrs.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, c) => enqueue(c) });
  }

  run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    return runAfterCacheSync({
      name: this.name,
      hasSynced: [() => deps.csrs.informer.hasSynced()],
      queue: deps.queue,
      sync: (name) => this.sync(name),
      workers: Math.max(opts.workers, 1),
      signal: opts.signal,
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  /** The validity of a certificate for a request (upstream signer.duration). */
  durationSeconds(expirationSeconds: number | undefined): number {
    if (expirationSeconds === undefined || expirationSeconds === null) return this.deps.certTTLSeconds;
    return Math.min(this.deps.certTTLSeconds, Math.max(minDurationSeconds, expirationSeconds));
  }

  /**
   * Signs an approved, not failed, not yet issued request of one of our signers and writes
   * status.certificate; marks it Failed (SignerValidationFailure) when the signer must not issue it.
   */
  async sync(name: string): Promise<void> {
    const cached = this.deps.csrs.lister.get(name);
    if (!cached || isIssued(cached) || !isApproved(cached) || hasFailed(cached)) return;
    const ca = this.deps.signers.get(cached.spec.signerName);
    if (!ca) return;
    const csrs = this.deps.client.resource<CertificateSigningRequest>(csrsResource);
    const pem = requestPEM(cached);
    let parsed;
    try {
      parsed = await parseCSR(pem);
    } catch (err) {
      throw new Error(`unable to parse csr "${name}": ${(err as Error).message}`);
    }
    const usages = cached.spec.usages ?? [];
    const csr = structuredClone(cached);
    const now = this.deps.clock.now();
    try {
      validateForSigner(csr.spec.signerName, parsed, usages);
    } catch (err) {
      (csr.status ??= {}).conditions = [
        ...(csr.status.conditions ?? []),
        { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: (err as Error).message, lastUpdateTime: metaTime(now), lastTransitionTime: metaTime(now) },
      ];
      await csrs.update(csr, { subresource: 'status' });
      return;
    }
    const certPEM = await signCSR({ csrPEM: pem, ca, usages: usages as CSRUsage[], durationSeconds: this.durationSeconds(csr.spec.expirationSeconds), now: new Date(now) });
    (csr.status ??= {}).certificate = Buffer.from(certPEM, 'utf8').toString('base64');
    await csrs.update(csr, { subresource: 'status' });
    this.deps.logger.v(2).info('Signed certificate', { csr: name, signerName: csr.spec.signerName });
  }
}


/**
 * The CA for each signer: its own file pair when given, else the shared --cluster-signing-cert-file/
 * --cluster-signing-key-file (upstream: a signer with neither is not started). Throws for unreadable or
 * mismatched files.
 */
export function signerCAsFromOptions(o: Pick<ControllerManagerOptions, 'clusterSigningCertFile' | 'clusterSigningKeyFile' | 'clusterSigningSignerFiles'>): Map<string, CertificateAuthority> {
  const anyOwn = Object.values(o.clusterSigningSignerFiles ?? {}).some((f) => f.certFile || f.keyFile);
  if (anyOwn && (o.clusterSigningCertFile || o.clusterSigningKeyFile)) {
    throw new Error('cannot specify --cluster-signing-{cert,key}-file and other --cluster-signing-*-file flags at the same time');
  }
  const out = new Map<string, CertificateAuthority>();
  const cache = new Map<string, CertificateAuthority>();
  for (const [flag, signer] of Object.entries(signingSignerFlagNames)) {
    const own = o.clusterSigningSignerFiles?.[flag];
    const files = own?.certFile || own?.keyFile ? own : { certFile: o.clusterSigningCertFile, keyFile: o.clusterSigningKeyFile };
    if (!files.certFile && !files.keyFile) continue;
    if (!files.certFile || !files.keyFile) throw new Error(`${flag}: both the signing certificate and key files are required`);
    const key = `${files.certFile}\x00${files.keyFile}`;
    let ca = cache.get(key);
    if (!ca) {
      ca = parseCertificateAuthority({ certPEM: readFileSync(files.certFile, 'utf8'), keyPEM: readFileSync(files.keyFile, 'utf8') });
      cache.set(key, ca);
    }
    out.set(signer, ca);
  }
  return out;
}

/** The registry's constructor: idle without any signing CA, as upstream starts no signer then. */
export function newCSRSigningController(ctx: ControllerContext): Controller {
  let signers: Map<string, CertificateAuthority>;
  try {
    signers = signerCAsFromOptions(ctx.options);
  } catch (err) {
    ctx.logger.error('Not starting the CSR signing controller', err);
    return { name: 'certificatesigningrequest-signing-controller', run: async () => {} };
  }
  if (signers.size === 0) {
    ctx.logger.info('Skipping CSR signer controller because no csr cert/key was specified');
    return { name: 'certificatesigningrequest-signing-controller', run: async () => {} };
  }
  return new CSRSigningController({
    client: ctx.client,
    csrs: ctx.informers.forResource<CertificateSigningRequest>(csrsResource),
    signers,
    certTTLSeconds: Math.floor(ctx.options.clusterSigningDurationMs / 1000),
    queue: ctx.newQueue('certificate'),
    clock: ctx.clock,
    logger: ctx.logger.withName('csrsigning'),
    metrics: ctx.metrics,
  });
}
