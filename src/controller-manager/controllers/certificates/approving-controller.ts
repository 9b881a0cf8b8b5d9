// The CSR approving controller (upstream pkg/controller/certificates/approver, "sarapprove"): approves
// kubelet client certificate requests (signer kube-apiserver-client-kubelet) when a SubjectAccessReview
// says the requester may create certificatesigningrequests/selfnodeclient (renewing its own) or
// /nodeclient (bootstrap tokens asking for a node).
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface, KubeObject } from '../../../client/rest/interface.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { parseCSR, type ParsedCSR } from '../../../pki/csr.js';
import { metaTime } from '../../conditions.js';
import type { Controller, ControllerContext, InformerHandle } from '../../controller-context.js';
import type { ControllerMetrics } from '../../metrics.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { TerminalError } from '../../worker-loop.js';
import { csrsResource, isApproved, isDenied, isIssued, kubeAPIServerClientKubeletSignerName, requestPEM, validateKubeletClientCSR, type CertificateSigningRequest } from './csr.js';

export const subjectAccessReviewsResource = { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews' } as const;

interface Recognizer {
  recognize(csr: CertificateSigningRequest, req: ParsedCSR): boolean;
  subresource: 'selfnodeclient' | 'nodeclient';
  successMessage: string;
}

function isNodeClientCert(csr: CertificateSigningRequest, req: ParsedCSR): boolean {
  if (csr.spec.signerName !== kubeAPIServerClientKubeletSignerName) return false;
  try {
    validateKubeletClientCSR(req, csr.spec.usages ?? []);
    return true;
  } catch {
    return false;
  }
}

/** upstream recognizers(), in order: a node renewing its own certificate, then any node client request. */
const recognizers: Recognizer[] = [
  {
    recognize: (csr, req) => isNodeClientCert(csr, req) && csr.spec.username === req.commonName,
    subresource: 'selfnodeclient',
    successMessage: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  {
    recognize: isNodeClientCert,
    subresource: 'nodeclient',
    successMessage: 'Auto approving kubelet client certificate after SubjectAccessReview.',
  },
];

export interface ApprovingDeps {
  client: Interface;
  csrs: InformerHandle<CertificateSigningRequest>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export class CSRApprovingController implements Controller {
  readonly name = 'certificatesigningrequest-approving-controller';

  constructor(private readonly deps: ApprovingDeps) {
    const enqueue = (csr: CertificateSigningRequest): void => deps.queue.add(csr.metadata!.name!);
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

  /** Approves the request through /approval when a recognizer matches and its SubjectAccessReview allows. */
  async sync(name: string): Promise<void> {
    const cached = this.deps.csrs.lister.get(name);
    if (!cached || isIssued(cached) || isApproved(cached) || isDenied(cached)) return;
    let req: ParsedCSR;
    try {
      req = await parseCSR(requestPEM(cached));
    } catch (err) {
      throw new TerminalError(`unable to parse csr "${name}": ${(err as Error).message}`);
    }
    const tried: string[] = [];
    for (const r of recognizers) {
      if (!r.recognize(cached, req)) continue;
      tried.push(r.subresource);
      if (!(await this.authorize(cached, r.subresource))) continue;
      const csr = structuredClone(cached);
      const now = metaTime(this.deps.clock.now());
      (csr.status ??= {}).conditions = [
        ...(csr.status.conditions ?? []),
        { type: 'Approved', status: 'True', reason: 'AutoApproved', message: r.successMessage, lastUpdateTime: now, lastTransitionTime: now },
      ];
      await this.deps.client.resource<CertificateSigningRequest>(csrsResource).update(csr, { subresource: 'approval' });
      this.deps.logger.v(2).info('Approved CSR', { csr: name, subresource: r.subresource });
      return;
    }
    // upstream IgnorableError: logged, not retried; a change to the request enqueues it again.
    if (tried.length) throw new TerminalError(`recognized csr "${name}" as [${tried.join(' ')}] but subject access review was not approved`);
  }

  private async authorize(csr: CertificateSigningRequest, subresource: string): Promise<boolean> {
    const review = await this.deps.client.resource<KubeObject & { status?: { allowed?: boolean } }>(subjectAccessReviewsResource).create({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: {
        user: csr.spec.username,
        uid: csr.spec.uid,
        groups: csr.spec.groups,
        extra: csr.spec.extra,
        resourceAttributes: { group: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'create', subresource, version: '*' },
      },
    } as KubeObject);
    return review.status?.allowed === true;
  }
}

/** The registry's constructor. */
export function newCSRApprovingController(ctx: ControllerContext): Controller {
  return new CSRApprovingController({
    client: ctx.client,
    csrs: ctx.informers.forResource<CertificateSigningRequest>(csrsResource),
    queue: ctx.newQueue('csrapproving'),
    clock: ctx.clock,
    logger: ctx.logger.withName('csrapproving'),
    metrics: ctx.metrics,
  });
}
