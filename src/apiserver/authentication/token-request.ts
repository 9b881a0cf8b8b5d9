// serviceaccounts/token (TokenRequest, upstream registry/core/serviceaccount/storage/token.go): issues a
// bound service-account token for the audiences, lifetime and object (Pod, Secret, Node) asked for.

import { newBadRequest, newConflict, newInvalid, newNotFound } from '../../apimachinery/errors.js';
import { invalid } from '../../apimachinery/field-error.js';
import { realClock, type Clock } from '../../base/clock.js';
import type { CreateOnlyResource, CreateOnlyRequest } from '../endpoints/create-only.js';
import { newPathNotFound } from '../endpoints/status.js';
import type { APIObject } from '../registry/strategy.js';
import type { Registries } from '../registry/generic/registries.js';
import { getCoreObject } from './object-getter.js';
import type { ObjectRef, ServiceAccountTokenGenerator, TokenClaimsRequest } from './service-account-token.js';

const tokenRequestKind = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

/** kubelet's projected-token lifetime that upstream extends (token.WarnOnlyBoundTokenExpirationSeconds), and the extension. */
export const warnOnlyBoundTokenExpirationSeconds = 60 * 60 + 7;
export const expirationExtensionSeconds = 24 * 365 * 60 * 60;

/** SetDefaults_TokenRequestSpec: one hour. */
export const defaultTokenExpirationSeconds = 3600;
/** ValidateTokenRequest's bounds: ten minutes and 2^32 seconds. */
export const minTokenExpirationSeconds = 600;
export const maxTokenExpirationSeconds = 2 ** 32;

export interface TokenRequestOptions {
  registries: Registries;
  generator: ServiceAccountTokenGenerator;
  /** Audiences of a request that names none (the API audiences). */
  apiAudiences: string[];
  /** --service-account-max-token-expiration (seconds; 0 or absent: no cap). */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true, as upstream). */
  extendExpiration?: boolean;
  clock?: Clock;
}

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

/** `group/version, Kind=kind` as Go's GroupVersionKind.String(). */
function gvkString(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return `${group}/${version}, Kind=${kind}`;
}

/** Formats ms since the epoch as metav1.Time (RFC 3339, whole seconds, UTC). */
function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The serviceaccounts/token subresource. */
export function tokenRequestResource(opts: TokenRequestOptions): CreateOnlyResource {
  return {
    group: '',
    resource: 'serviceaccounts',
    subresource: 'token',
    kind: 'TokenRequest',
    create: (req) => createToken(opts, req),
  };
}

async function createToken(opts: TokenRequestOptions, req: CreateOnlyRequest): Promise<{ obj: APIObject; status?: number; warnings: string[] }> {
  const { namespace, name } = req.info;
  if (req.info.apiVersion !== 'v1') throw newPathNotFound();
  const body = req.body;
  const spec: TokenRequestSpec = { ...((body.spec as TokenRequestSpec | undefined) ?? {}) };
  spec.expirationSeconds ??= defaultTokenExpirationSeconds;
  const meta = { ...(body.metadata ?? {}) };
  // Upstream's order: name and namespace against the URL, the service account, then static validation.
  if (meta.name && meta.name !== name) throw newInvalid(tokenRequestKind, name, [invalid('metadata.name', meta.name, 'must match the service account name if specified')]);
  if (meta.namespace && meta.namespace !== namespace) throw newInvalid(tokenRequestKind, name, [invalid('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  const account = await getCoreObject(opts.registries, 'serviceaccounts', namespace, name);
  if (!account) throw newNotFound({ group: '', resource: 'serviceaccounts' }, name);
  if (!spec.audiences?.length) spec.audiences = opts.apiAudiences;
  const now = (opts.clock ?? realClock).now();
  if (spec.expirationSeconds < minTokenExpirationSeconds) {
    throw newInvalid(tokenRequestKind, '', [invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes')]);
  }
  if (spec.expirationSeconds > maxTokenExpirationSeconds) {
    throw newInvalid(tokenRequestKind, '', [invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration larger than 2^32 seconds')]);
  }
  const bound = spec.boundObjectRef ? await boundObjects(opts.registries, namespace, name, spec.boundObjectRef) : {};
  const warnings: string[] = [];
  if (opts.maxExpirationSeconds && spec.expirationSeconds > opts.maxExpirationSeconds) {
    warnings.push(`requested expiration of ${spec.expirationSeconds} seconds shortened to ${opts.maxExpirationSeconds} seconds`);
    spec.expirationSeconds = opts.maxExpirationSeconds;
  }
  const claims: TokenClaimsRequest = {
    serviceAccount: { namespace, name, uid: account.metadata?.uid ?? '' },
    audiences: spec.audiences,
    expirationSeconds: spec.expirationSeconds,
    ...bound,
  };
  // --service-account-extend-token-expiration (upstream default on): a pod-bound token for the API audiences
  // with kubelet's 3607 s lifetime is valid a year, and says from when on its use is worth a warning.
  const apiAudiences = new Set(opts.apiAudiences);
  if (opts.extendExpiration !== false && bound.pod && spec.expirationSeconds === warnOnlyBoundTokenExpirationSeconds && spec.audiences.every((a) => apiAudiences.has(a))) {
    claims.warnAfterSeconds = spec.expirationSeconds;
    claims.expirationSeconds = expirationExtensionSeconds;
  }
  const { token } = opts.generator.generate(claims);
  const obj: APIObject = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { ...meta, name, namespace, creationTimestamp: rfc3339(now) },
    spec,
    status: { token, expirationTimestamp: rfc3339(now + spec.expirationSeconds * 1000) },
  };
  return { obj, status: 201, warnings };
}

/** The Pod, Secret or Node a token is bound to, checked to exist with the given uid. */
async function boundObjects(registries: Registries, namespace: string, saName: string, ref: NonNullable<TokenRequestSpec['boundObjectRef']>): Promise<Pick<TokenClaimsRequest, 'pod' | 'secret' | 'node'>> {
  const apiVersion = ref.apiVersion ?? '';
  const kind = ref.kind ?? '';
  const refName = ref.name ?? '';
  const resource = apiVersion === 'v1' ? ({ Pod: 'pods', Secret: 'secrets', Node: 'nodes' } as Record<string, string>)[kind] : undefined;
  if (!resource) throw newBadRequest(`cannot bind token to object of type ${gvkString(apiVersion, kind)}`);
  const obj = await getCoreObject(registries, resource, kind === 'Node' ? '' : namespace, refName);
  if (!obj) throw newNotFound({ group: '', resource }, refName);
  const uid = obj.metadata?.uid ?? '';
  if (ref.uid && ref.uid !== uid) {
    throw newConflict({ group: '', resource: kind }, refName, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const self: ObjectRef = { name: refName, uid };
  switch (kind) {
    case 'Pod': {
      const podSpec = (obj.spec ?? {}) as { serviceAccountName?: string; nodeName?: string };
      const podSA = podSpec.serviceAccountName ?? '';
      if (podSA !== saName) throw newBadRequest(`cannot bind token for serviceaccount ${JSON.stringify(saName)} to pod running with different serviceaccount name.`);
      // A scheduled pod's token also names its node (ServiceAccountTokenPodNodeInfo); a node that does not
      // exist (any more) is named without a uid.
      if (!podSpec.nodeName) return { pod: self };
      const node = await getCoreObject(registries, 'nodes', '', podSpec.nodeName);
      return { pod: self, node: { name: podSpec.nodeName, uid: node?.metadata?.uid ?? '' } };
    }
    case 'Secret':
      return { secret: self };
    default:
      return { node: self };
  }
}
