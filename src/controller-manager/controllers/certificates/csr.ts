// What the certificate controllers share about CertificateSigningRequests: the resource, the built-in
// signer names, approval state from conditions, and upstream's checks of what each signer may issue
// (k8s.io/kubernetes/pkg/apis/certificates ValidateKubeletClientCSR / ValidateKubeletServingCSR).
import type * as certificatesv1 from '../../../api/generated/certificates/v1.js';
import type { ParsedCSR } from '../../../pki/csr.js';
import type { Typed } from '../../../client/typed.js';

export type CertificateSigningRequest = Typed<certificatesv1.CertificateSigningRequest>;

export const csrsResource = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' } as const;

export const kubeAPIServerClientSignerName = 'kubernetes.io/kube-apiserver-client';
export const kubeAPIServerClientKubeletSignerName = 'kubernetes.io/kube-apiserver-client-kubelet';
export const kubeletServingSignerName = 'kubernetes.io/kubelet-serving';
export const legacyUnknownSignerName = 'kubernetes.io/legacy-unknown';

function hasTrueCondition(csr: CertificateSigningRequest, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && (c.status === 'True' || !c.status));
}

/** Approved and not denied (upstream IsCertificateRequestApproved). */
export function isApproved(csr: CertificateSigningRequest): boolean {
  return hasTrueCondition(csr, 'Approved') && !hasTrueCondition(csr, 'Denied');
}

export function isDenied(csr: CertificateSigningRequest): boolean {
  return hasTrueCondition(csr, 'Denied');
}

export function hasFailed(csr: CertificateSigningRequest): boolean {
  return hasTrueCondition(csr, 'Failed');
}

export function isIssued(csr: CertificateSigningRequest): boolean {
  return !!csr.status?.certificate;
}

/** spec.request (base64 in JSON) as PEM text. */
export function requestPEM(csr: CertificateSigningRequest): string {
  return Buffer.from(csr.spec.request, 'base64').toString('utf8');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/** Go's %v of a sorted []string: `[a b c]`. */
function goList(items: readonly string[]): string {
  return `[${[...items].sort().join(' ')}]`;
}

const kubeletClientUsages = ['digital signature', 'key encipherment', 'client auth'];
const kubeletClientUsagesNoRSA = ['digital signature', 'client auth'];
const kubeletServingUsages = ['digital signature', 'key encipherment', 'server auth'];
const kubeletServingUsagesNoRSA = ['digital signature', 'server auth'];

function checkNodeSubject(req: ParsedCSR): void {
  if (req.organization.length !== 1 || req.organization[0] !== 'system:nodes') throw new Error('subject organization is not system:nodes');
  if (!req.commonName.startsWith('system:node:')) throw new Error('subject common name does not begin with system:node:');
}

/** A kubelet's client certificate request; throws with upstream's message for what is wrong. */
export function validateKubeletClientCSR(req: ParsedCSR, usages: readonly string[]): void {
  checkNodeSubject(req);
  if (req.dnsNames.length) throw new Error('DNS subjectAltNames are not allowed');
  if (req.ips.length) throw new Error('IP subjectAltNames are not allowed');
  if (!sameSet(usages, kubeletClientUsages) && !sameSet(usages, kubeletClientUsagesNoRSA)) throw new Error(`usages did not match ${goList(kubeletClientUsages)}`);
}

/** A kubelet's serving certificate request; throws with upstream's message for what is wrong. */
export function validateKubeletServingCSR(req: ParsedCSR, usages: readonly string[]): void {
  if (!sameSet(usages, kubeletServingUsages) && !sameSet(usages, kubeletServingUsagesNoRSA)) throw new Error(`usages did not match ${goList(kubeletServingUsages)}`);
  checkNodeSubject(req);
  if (req.dnsNames.length === 0 && req.ips.length === 0) throw new Error('DNS or IP subjectAltName is required');
}

/** kube-apiserver-client: only digital signature, key encipherment and (required) client auth. */
export function validateAPIServerClientUsages(usages: readonly string[]): void {
  let clientAuth = false;
  for (const u of usages) {
    if (u === 'client auth') clientAuth = true;
    else if (u !== 'digital signature' && u !== 'key encipherment') throw new Error(`invalid usage for client certificate: ${u}`);
  }
  if (!clientAuth) throw new Error('invalid usage for client certificate, missing client auth');
}

/** Throws when the signer `signerName` must not issue this request (upstream isRequestForSignerFn). */
export function validateForSigner(signerName: string, req: ParsedCSR, usages: readonly string[]): void {
  switch (signerName) {
    case kubeAPIServerClientSignerName:
      return validateAPIServerClientUsages(usages);
    case kubeAPIServerClientKubeletSignerName:
      return validateKubeletClientCSR(req, usages);
    case kubeletServingSignerName:
      return validateKubeletServingCSR(req, usages);
    default:
      return;
  }
}
