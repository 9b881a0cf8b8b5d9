// Validation of a webhook's client config (upstream k8s.io/apiserver/pkg/util/webhook/validation.go), shared
// by everything that calls out to a webhook: a URL (https, a host, no user, query or fragment) or a Service
// reference (name, namespace, port, a path of DNS-1123 segments), and a caBundle of PEM certificates.

import { X509Certificate } from 'node:crypto';
import { invalid, required, type FieldError } from '../../apimachinery/field-error.js';
import { isDNS1123Subdomain } from '../../apimachinery/validation/names.js';
import { isValidPortNum } from './name-checks.js';

const urlForm = '; desired format: https://host[/path]';

/** The parts of a URL Go's url.Parse yields, from its generic syntax (lenient like Go, unlike WHATWG URL). */
function splitURL(url: string): { scheme: string; user?: string; host: string; query: string; fragment: string } {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?:\/\/([^/?#]*))?[^?#]*(?:\?([^#]*))?(?:#(.*))?$/.exec(url);
  const authority = m?.[2] ?? '';
  const at = authority.lastIndexOf('@');
  return {
    scheme: m?.[1] ?? '',
    user: at >= 0 ? authority.slice(0, at) : undefined,
    host: at >= 0 ? authority.slice(at + 1) : authority,
    query: m?.[3] ?? '',
    fragment: m?.[4] ?? '',
  };
}

/** upstream ValidateWebhookURL with forceHttps. */
export function validateWebhookURL(url: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const u = splitURL(url);
  if (u.scheme !== 'https') errs.push(invalid(path, u.scheme, `'https' is the only allowed URL scheme${urlForm}`));
  if (u.host === '') errs.push(invalid(path, u.host, `host must be specified${urlForm}`));
  if (u.user !== undefined) errs.push(invalid(path, u.user, 'user information is not permitted in the URL'));
  if (u.fragment !== '') errs.push(invalid(path, u.fragment, 'fragments are not permitted in the URL'));
  if (u.query !== '') errs.push(invalid(path, u.query, 'query parameters are not permitted in the URL'));
  return errs;
}

/** upstream ValidateWebhookService: a Service reference `{namespace, name, path?, port}` under `path`. */
export function validateWebhookService(ref: { namespace?: string; name?: string; path?: string; port?: number }, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref.name) errs.push(required(`${path}.name`));
  if (!ref.namespace) errs.push(required(`${path}.namespace`));
  const port = ref.port ?? 443;
  const portErrs = isValidPortNum(port);
  if (portErrs.length > 0) errs.push(invalid(`${path}.port`, port, `port is not valid: ${portErrs.join(', ')}`));
  const urlPath = ref.path;
  if (urlPath === undefined || urlPath === '' || urlPath === '/') return errs;
  const pathField = `${path}.path`;
  if (urlPath === '//') return [...errs, invalid(pathField, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) errs.push(invalid(pathField, urlPath, "must start with a '/'"));
  let rest = urlPath.slice(1);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  rest.split('/').forEach((step, i) => {
    if (step === '') {
      errs.push(invalid(pathField, urlPath, `segment[${i}] may not be empty`));
      return;
    }
    for (const msg of isDNS1123Subdomain(step)) errs.push(invalid(pathField, urlPath, `segment[${i}]: ${msg}`));
  });
  return errs;
}

/**
 * upstream ValidateCABundle: the (base64-decoded) bundle must hold at least one parseable PEM certificate,
 * with client-go's messages.
 */
export function validateCABundle(caBundle: string, path: string): FieldError[] {
  const pem = Buffer.from(caBundle, 'base64').toString('utf8');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return [invalid(path, caBundle, 'unable to load root certificates: unable to parse bytes as PEM block')];
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (err) {
      return [invalid(path, caBundle, `unable to load root certificates: failed to parse certificate: ${(err as Error).message}`)];
    }
  }
  return [];
}
