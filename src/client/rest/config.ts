// RESTConfig: everything a client needs to reach one apiserver as one identity (client-go's rest.Config),
// built by kubeconfig loading or in-cluster discovery and consumed by newClient.
import { arch, platform } from 'node:process';
import { gitVersion } from '../../apimachinery/version.js';

export interface RESTConfig {
  /** Base URL of the apiserver: https://host:port or (lab-mode insecure port) http://host:port. */
  host: string;
  /** PEM of the CA bundle that signs the serving certificate; absent: the system roots. */
  caData?: string;
  /** PEM client certificate and key for mutual TLS. */
  certData?: string;
  keyData?: string;
  /** Sent as `Authorization: Bearer …`. */
  bearerToken?: string;
  /** A file holding the bearer token, re-read at most once a minute (rotated service-account tokens). */
  bearerTokenFile?: string;
  /** Basic authentication, used only when no token is configured. */
  username?: string;
  password?: string;
  /** Skip verification of the serving certificate (insecure-skip-tls-verify). */
  insecure?: boolean;
  /** The name the serving certificate is verified against instead of the host (tls-server-name). */
  serverName?: string;
  /**
   * Client-side rate limit. Undefined: client-go's defaults (5 QPS, burst 10). `qps <= 0`: unlimited.
   */
  qps?: number;
  burst?: number;
  /** Sent as User-Agent; default defaultUserAgent(). */
  userAgent?: string;
  /** Per-request deadline in milliseconds for non-watch requests; 0 or absent: none. */
  timeout?: number;
}

/** client-go's DefaultQPS and DefaultBurst, applied when a config leaves them unset. */
export const defaultQPS = 5;
export const defaultBurst = 10;

/** Node's architecture names spelled as Go's GOARCH. */
function goArch(a: string): string {
  switch (a) {
    case 'x64':
      return 'amd64';
    case 'ia32':
      return '386';
    default:
      return a;
  }
}

/**
 * The User-Agent client-go would send for a binary: `<component>/<version> (<os>/<arch>) kubernetes/k8ts`,
 * e.g. `kube-scheduler/v1.36.0+k8ts (linux/amd64) kubernetes/k8ts`.
 */
export function defaultUserAgent(component = 'k8ts'): string {
  return `${component}/${gitVersion} (${platform}/${goArch(arch)}) kubernetes/k8ts`;
}
