// The apiserver's configuration, one field per upstream flag (`--etcd-servers` → etcdServers).
// src/cli parses flags into this; src/apiserver/server.ts runs from it. Defaults match upstream.

export interface APIServerOptions {
  /** --bind-address (default 0.0.0.0). */
  bindAddress: string;
  /** --secure-port (default 6443). 0 disables the HTTPS listener. */
  securePort: number;
  /** --insecure-port (default 0 = off). Plain HTTP on 127.0.0.1, no authentication: a lab mode. */
  insecurePort: number;
  /** --tls-cert-file / --tls-private-key-file; when empty, a self-signed pair is generated in certDir. */
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  /** --cert-dir (default: <dataDir>/pki/apiserver). */
  certDir: string;
  /** --data-dir (k8ts; default ~/.k8ts): where the embedded datastore and generated files live. */
  dataDir: string;
  /**
   * --datastore-endpoint (k8ts/k3s): `sqlite:///path/state.db` (default <dataDir>/state.db), `memory://`.
   * Ignored when etcdServers is set.
   */
  datastoreEndpoint: string;
  /** --etcd-servers: comma-separated etcd URLs; when set, etcd is the store. */
  etcdServers: string[];
  /** --etcd-prefix (default /registry). */
  etcdPrefix: string;
  etcdCAFile: string;
  etcdCertFile: string;
  etcdKeyFile: string;
  /** --etcd-compaction-interval (default 5m): history older than this is compacted. 0 disables. */
  etcdCompactionIntervalSeconds: number;
  /** --service-cluster-ip-range (default 10.0.0.0/24, as upstream). */
  serviceClusterIPRange: string;
  /** --service-node-port-range (default 30000-32767). */
  serviceNodePortRange: { base: number; size: number };
  /** --advertise-address: the IP the `kubernetes` Endpoints point at (default: first non-loopback, else 127.0.0.1). */
  advertiseAddress: string;
  /**
   * --event-ttl (default 1h): Events not updated for this long are deleted. Upstream attaches an etcd lease;
   * k8ts sweeps (src/apiserver/bootstrap/event-ttl.ts). Optional for compatibility; absent = 3600.
   */
  eventTTLSeconds?: number;
  /** --max-request-bytes (k8ts): bodies above this are 413 (default 3 MiB, upstream's limit). */
  maxRequestBodyBytes: number;
  // ---- Security (issue #4). Optional for compatibility: absent means upstream's default. ----
  /** --anonymous-auth (default true): requests without credentials are system:anonymous. */
  anonymousAuth?: boolean;
  /** --client-ca-file: CA bundle that verifies client certificates (CN → user, O → groups). */
  clientCAFile?: string;
  /** --token-auth-file: static tokens CSV (token,user,uid,"group1,group2"). */
  tokenAuthFile?: string;
  /** --enable-bootstrap-token-auth: accept bootstrap-token-* secrets of kube-system. */
  enableBootstrapTokenAuth?: boolean;
  /** --service-account-issuer (repeatable; the first issues, all are accepted). */
  serviceAccountIssuers?: string[];
  /** --service-account-key-file (repeatable): public (or private) keys that verify service-account tokens. */
  serviceAccountKeyFiles?: string[];
  /** --service-account-signing-key-file: private key that signs tokens (TokenRequest). */
  serviceAccountSigningKeyFile?: string;
  /** --service-account-lookup (default true): tokens must name service accounts (and secrets/pods) that exist. */
  serviceAccountLookup?: boolean;
  /** --service-account-max-token-expiration in seconds (0 = no maximum). */
  serviceAccountMaxTokenExpirationSeconds?: number;
  /** --api-audiences: audiences tokens must carry (default: the service-account issuers). */
  apiAudiences?: string[];
  /** --service-account-extend-token-expiration (default true): kubelet's 3607 s pod-bound tokens are valid a year, with warnafter. */
  serviceAccountExtendTokenExpiration?: boolean;
  /** --service-account-jwks-uri: jwks_uri of the discovery document (default https://<advertise address>:<port>/openid/v1/jwks). */
  serviceAccountJWKSURI?: string;
  /** --authorization-mode (default AlwaysAllow): AlwaysAllow, AlwaysDeny, RBAC, Node — tried in order. */
  authorizationMode?: string[];
  /** --enable-admission-plugins / --disable-admission-plugins: added to / removed from the default set. */
  enableAdmissionPlugins?: string[];
  disableAdmissionPlugins?: string[];
  /** --admission-control-config-file: AdmissionConfiguration (plugin configuration, e.g. PodSecurity defaults). */
  admissionControlConfigFile?: string;
  /** --allow-privileged: whether privileged containers are admitted. */
  allowPrivileged?: boolean;
  /** --encryption-provider-config: EncryptionConfiguration for secrets at rest. */
  encryptionProviderConfig?: string;
  /** --audit-log-path ("-" = stdout) and --audit-policy-file. */
  auditLogPath?: string;
  auditPolicyFile?: string;
  /** --audit-log-maxage (days), --audit-log-maxbackup (files), --audit-log-maxsize (MiB): rotation; 0 = no limit. */
  auditLogMaxAge?: number;
  auditLogMaxBackup?: number;
  auditLogMaxSize?: number;
  /** --kubelet-client-certificate / --kubelet-client-key / --kubelet-certificate-authority: talking to kubelets. */
  kubeletClientCertificate?: string;
  kubeletClientKey?: string;
  kubeletCertificateAuthority?: string;
  /**
   * --requestheader-client-ca-file: CA of front proxies (an aggregator) allowed to assert users in the
   * --requestheader-*-headers; --requestheader-allowed-names limits their certificates' CNs (empty = any).
   */
  requestheaderClientCAFile?: string;
  requestheaderAllowedNames?: string[];
  requestheaderUsernameHeaders?: string[];
  requestheaderUIDHeaders?: string[];
  requestheaderGroupHeaders?: string[];
  requestheaderExtraHeadersPrefix?: string[];
  /** --proxy-client-cert-file / --proxy-client-key-file: the aggregator's identity towards extension apiservers. */
  proxyClientCertFile?: string;
  proxyClientKeyFile?: string;
  /**
   * --enable-aggregator-routing: dial endpoint addresses instead of Service cluster IPs. k8ts has no service
   * proxy, so it always routes to endpoints (or an ExternalName's host); the flag is accepted for compatibility.
   */
  enableAggregatorRouting?: boolean;
  /** -v: klog verbosity. */
  verbosity: number;
  /** --logging-format: text (klog) or json. */
  loggingFormat: 'text' | 'json';
}

export function defaultAPIServerOptions(home: string): APIServerOptions {
  const dataDir = `${home}/.k8ts`;
  return {
    bindAddress: '0.0.0.0',
    securePort: 6443,
    insecurePort: 0,
    tlsCertFile: '',
    tlsPrivateKeyFile: '',
    certDir: `${dataDir}/pki/apiserver`,
    dataDir,
    datastoreEndpoint: `sqlite://${dataDir}/state.db`,
    etcdServers: [],
    etcdPrefix: '/registry',
    etcdCAFile: '',
    etcdCertFile: '',
    etcdKeyFile: '',
    etcdCompactionIntervalSeconds: 300,
    serviceClusterIPRange: '10.0.0.0/24',
    serviceNodePortRange: { base: 30000, size: 2768 },
    advertiseAddress: '',
    maxRequestBodyBytes: 3 * 1024 * 1024,
    verbosity: 0,
    loggingFormat: 'text',
  };
}
