// ImagePolicyWebhook (upstream plugin/pkg/admission/imagepolicy): a pod's images are sent as an ImageReview
// (imagepolicy.k8s.io/v1alpha1) to a backend named by a kubeconfig file; the backend allows or denies. Answers
// are cached (allowTTL/denyTTL seconds); when the backend cannot be reached, defaultAllow decides.

import { readFileSync } from 'node:fs';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { realClock, type Clock } from '../../../base/clock.js';
import { klog } from '../../../base/logger.js';
import { parseKubeconfig } from '../../../client/kubeconfig/kubeconfig.js';
import { newAdmissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import { postJSON, type PostOptions, type WebhookTarget } from '../webhook/client.js';

export const imagePolicyWebhookPluginName = 'ImagePolicyWebhook';
const log = klog.withName('image-policy');
const breakGlassAnnotation = 'alpha.image-policy.k8s.io/break-glass';

/** The `imagePolicy` section of the plugin's configuration (upstream imagePolicyWebhookConfig). */
export interface ImagePolicyWebhookConfig {
  kubeConfigFile: string;
  /** Seconds an allow is cached (default 300). */
  allowTTL?: number;
  /** Seconds a deny is cached (default 30). */
  denyTTL?: number;
  /** Milliseconds between retries (default 500); k8ts makes one attempt. */
  retryBackoff?: number;
  defaultAllow?: boolean;
}

/** Where and how to reach the backend, from its kubeconfig (current context, else the first cluster and user). */
export interface ImagePolicyBackend {
  target: WebhookTarget;
  tls: Pick<PostOptions, 'ca' | 'cert' | 'key' | 'token'>;
}

export function readImagePolicyBackend(kubeconfigFile: string): ImagePolicyBackend {
  const config = parseKubeconfig(readFileSync(kubeconfigFile, 'utf8'), kubeconfigFile);
  const context = config.contexts.get(config.currentContext);
  const cluster = (context?.cluster ? config.clusters.get(context.cluster) : undefined) ?? [...config.clusters.values()][0];
  const user = (context?.user ? config.users.get(context.user) : undefined) ?? [...config.users.values()][0];
  if (!cluster?.server) throw new Error(`ImagePolicyWebhook: no cluster with a server in ${kubeconfigFile}`);
  const u = new URL(cluster.server);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const pem = (data: string | undefined, file: string | undefined) => (data ? Buffer.from(data, 'base64').toString('utf8') : file ? readFileSync(file, 'utf8') : undefined);
  return {
    target: { url: cluster.server, dialHost: host, dialPort: Number(u.port || 443), serverName: cluster['tls-server-name'] ?? host, path: `${u.pathname}${u.search}` },
    tls: {
      ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']),
      cert: pem(user?.['client-certificate-data'], user?.['client-certificate']),
      key: pem(user?.['client-key-data'], user?.['client-key']),
      token: user?.token ?? (user?.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined),
    },
  };
}

export function newImagePolicyWebhook(opts: { config: ImagePolicyWebhookConfig; backend: ImagePolicyBackend; clock?: Clock; signal?: AbortSignal }): AdmissionPlugin {
  const clock = opts.clock ?? realClock;
  const allowTTL = (opts.config.allowTTL ?? 300) * 1000;
  const denyTTL = (opts.config.denyTTL ?? 30) * 1000;
  const cache = new Map<string, { allowed: boolean; reason: string; until: number }>();

  /** The backend's verdict on one review (cached), or an Error when it could not be had. */
  async function review(body: string): Promise<{ allowed: boolean; reason: string }> {
    const hit = cache.get(body);
    if (hit && hit.until > clock.now()) return hit;
    const reply = (await postJSON({ target: opts.backend.target, ...opts.backend.tls, body, timeoutMs: 30_000, signal: opts.signal, clock })) as { status?: { allowed?: boolean; reason?: string } };
    const verdict = { allowed: reply?.status?.allowed === true, reason: reply?.status?.reason ?? '' };
    cache.set(body, { ...verdict, until: clock.now() + (verdict.allowed ? allowTTL : denyTTL) });
    return verdict;
  }

  const podOf = (attrs: AdmissionAttributes) =>
    attrs.resource.group === '' && attrs.resource.resource === 'pods' && (attrs.subresource === '' || attrs.subresource === 'ephemeralcontainers') && attrs.object ? (attrs.object as corev1.Pod) : undefined;

  return {
    name: imagePolicyWebhookPluginName,
    handles: (op) => op === 'CREATE' || op === 'UPDATE',
    async validate(attrs) {
      const pod = podOf(attrs);
      if (!pod) return;
      const annotations = pod.metadata?.annotations ?? {};
      if (annotations[breakGlassAnnotation] === 'true') return;
      const spec = pod.spec ?? { containers: [] };
      const containers = [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])].map((c) => ({ image: c.image ?? '' }));
      const policyAnnotations = Object.fromEntries(Object.entries(annotations).filter(([k]) => /\.image-policy\.k8s\.io\//.test(k)));
      const body = JSON.stringify({
        apiVersion: 'imagepolicy.k8s.io/v1alpha1',
        kind: 'ImageReview',
        spec: { containers, ...(Object.keys(policyAnnotations).length ? { annotations: policyAnnotations } : {}), namespace: attrs.namespace },
      });
      let verdict: { allowed: boolean; reason: string };
      try {
        verdict = await review(body);
      } catch (err) {
        log.warning('Image policy webhook failed', { err: (err as Error).message });
        if (opts.config.defaultAllow) return;
        throw newAdmissionForbidden(attrs, (err as Error).message);
      }
      if (!verdict.allowed) throw newAdmissionForbidden(attrs, `image policy webhook backend denied one or more images: ${verdict.reason}`);
    },
  };
}
