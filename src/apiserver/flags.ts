// The kube-apiserver command line: one flag per APIServerOptions field (upstream names and defaults), plus
// the upstream flags that tutorials pass and k8ts accepts without implementing yet (each logged as ignored).
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { FlagSet, formatDuration, parseDuration, parseInt64, type FlagValue } from '../base/flag-set.js';
import { defaultAPIServerOptions, type APIServerOptions } from './options.js';
import { validateAdmissionFlags } from './admission/plugin-names.js';

/**
 * Upstream kube-apiserver flags that k8ts parses but does not act on yet. Command lines copied from
 * tutorials (Kubernetes the Hard Way, kubeadm manifests) therefore start; `k8ts apiserver` logs a warning
 * naming each one given. Move a flag out of this list when its feature lands.
 */
export const acceptedButIgnoredAPIServerFlags: { name: string; type: 'string' | 'bool' | 'int' | 'strings' | 'duration'; usage: string }[] = [
  { name: 'oidc-issuer-url', type: 'string', usage: 'OpenID Connect issuer.' },
  { name: 'oidc-client-id', type: 'string', usage: 'OpenID Connect client id.' },
  { name: 'oidc-username-claim', type: 'string', usage: 'OpenID Connect username claim.' },
  { name: 'oidc-groups-claim', type: 'string', usage: 'OpenID Connect groups claim.' },
  { name: 'runtime-config', type: 'strings', usage: 'API group-versions to enable or disable (group/version=true|false).' },
  { name: 'feature-gates', type: 'strings', usage: 'Feature gates (Name=true|false,...).' },
  { name: 'audit-webhook-config-file', type: 'string', usage: 'Audit webhook kubeconfig.' },
  { name: 'apiserver-count', type: 'int', usage: 'Number of apiservers (deprecated upstream).' },
  { name: 'endpoint-reconciler-type', type: 'string', usage: 'How the kubernetes Endpoints are reconciled.' },
  { name: 'enable-swagger-ui', type: 'bool', usage: 'Serve a Swagger UI (removed upstream).' },
  { name: 'kubelet-https', type: 'bool', usage: 'Use HTTPS to kubelets (removed upstream).' },
  { name: 'kubelet-preferred-address-types', type: 'strings', usage: 'Node address types to dial kubelets on.' },
  { name: 'kubelet-timeout', type: 'duration', usage: 'Timeout for kubelet requests.' },
  { name: 'storage-backend', type: 'string', usage: 'Storage backend (k8ts chooses by --etcd-servers/--datastore-endpoint).' },
  { name: 'storage-media-type', type: 'string', usage: 'Media type of stored objects (k8ts stores JSON).' },
  { name: 'etcd-servers-overrides', type: 'strings', usage: 'Per-resource etcd servers.' },
  { name: 'watch-cache', type: 'bool', usage: 'Enable the watch cache (always on in k8ts).' },
  { name: 'default-watch-cache-size', type: 'int', usage: 'Watch cache size.' },
  { name: 'min-request-timeout', type: 'int', usage: 'Minimum watch timeout in seconds.' },
  { name: 'request-timeout', type: 'duration', usage: 'Timeout for non-long-running requests.' },
  { name: 'max-requests-inflight', type: 'int', usage: 'Read requests in flight before 429.' },
  { name: 'max-mutating-requests-inflight', type: 'int', usage: 'Write requests in flight before 429.' },
  { name: 'profiling', type: 'bool', usage: 'Serve /debug/pprof.' },
  { name: 'cloud-provider', type: 'string', usage: 'Cloud provider (removed upstream).' },
  { name: 'external-hostname', type: 'string', usage: 'Host name for externally generated URLs.' },
  { name: 'tls-cipher-suites', type: 'strings', usage: 'Allowed TLS cipher suites.' },
  { name: 'tls-min-version', type: 'string', usage: 'Minimum TLS version.' },
  { name: 'shutdown-delay-duration', type: 'duration', usage: 'Delay before shutting down after SIGTERM.' },
  { name: 'vmodule', type: 'strings', usage: 'Per-file log verbosity (pattern=N,...).' },
  { name: 'log-flush-frequency', type: 'duration', usage: 'Seconds between log flushes.' },
];

/** The --service-node-port-range value: `30000-32767`, `30000+2767` or a single port. */
function portRangeValue(o: APIServerOptions): FlagValue {
  return {
    type: 'portRange',
    isBool: false,
    set(raw) {
      const m = /^(\d+)(?:([-+])(\d+))?$/.exec(raw.trim());
      if (!m) throw new Error(`unable to parse port range: ${raw}`);
      const base = parseInt64(m[1]!);
      const other = m[3] === undefined ? undefined : parseInt64(m[3]);
      const size = other === undefined ? 1 : m[2] === '-' ? other - base + 1 : other + 1;
      if (base < 0 || base > 65535 || size < 1 || base + size - 1 > 65535) throw new Error(`invalid port range: ${raw}`);
      o.serviceNodePortRange = { base, size };
    },
    string: () => `${o.serviceNodePortRange.base}-${o.serviceNodePortRange.base + o.serviceNodePortRange.size - 1}`,
    isZero: () => false,
  };
}

/**
 * Declares every apiserver flag on a new FlagSet bound to fresh default options. Parse with `flags.parse`,
 * then call `completeAPIServerOptions` to fill derived defaults and validate.
 */
export function newAPIServerFlagSet(home: string): { flags: FlagSet; options: APIServerOptions } {
  const o = defaultAPIServerOptions(home);
  const fs = new FlagSet('kube-apiserver');
  fs.string(o, 'bindAddress', { name: 'bind-address', usage: 'IP address to serve HTTPS on (0.0.0.0 or :: for all interfaces).' });
  fs.int(o, 'securePort', { name: 'secure-port', usage: 'Port to serve HTTPS on; 0 turns HTTPS off.' });
  fs.int(o, 'insecurePort', {
    name: 'insecure-port',
    usage: 'Lab mode: also serve plain HTTP without authentication on 127.0.0.1 at this port (0 = off).',
  });
  fs.string(o, 'tlsCertFile', { name: 'tls-cert-file', usage: 'Serving certificate (PEM, may include the CA chain).' });
  fs.string(o, 'tlsPrivateKeyFile', { name: 'tls-private-key-file', usage: 'Private key of --tls-cert-file.' });
  fs.string(o, 'certDir', {
    name: 'cert-dir',
    usage: 'Where a self-signed serving certificate is generated when --tls-cert-file is not given (follows --data-dir).',
  });
  fs.string(o, 'dataDir', { name: 'data-dir', usage: 'k8ts: directory for the embedded datastore and generated files.' });
  fs.string(o, 'datastoreEndpoint', {
    name: 'datastore-endpoint',
    usage: 'k8ts: sqlite:///path/state.db or memory:// (ignored with --etcd-servers; follows --data-dir).',
  });
  fs.stringSlice(o, 'etcdServers', { name: 'etcd-servers', usage: 'etcd URLs (comma-separated); when set, etcd is the store.' });
  fs.string(o, 'etcdPrefix', { name: 'etcd-prefix', usage: 'Key prefix of every object in storage.' });
  fs.string(o, 'etcdCAFile', { name: 'etcd-cafile', usage: 'CA that verifies etcd servers.' });
  fs.string(o, 'etcdCertFile', { name: 'etcd-certfile', usage: 'Client certificate for etcd.' });
  fs.string(o, 'etcdKeyFile', { name: 'etcd-keyfile', usage: 'Client key for etcd.' });
  fs.duration(o, 'etcdCompactionIntervalSeconds', 's', {
    name: 'etcd-compaction-interval',
    usage: 'How often storage history is compacted; 0 turns compaction off.',
  });
  fs.string(o, 'serviceClusterIPRange', { name: 'service-cluster-ip-range', usage: 'CIDR(s) Service ClusterIPs come from (one per IP family, comma-separated).' });
  fs.var({ name: 'service-node-port-range', usage: 'Ports NodePort Services may use.' }, portRangeValue(o));
  // Optional in the contract (absent = 1h); the flag always sets it so --help shows the default.
  o.eventTTLSeconds ??= 3600;
  fs.var(
    { name: 'event-ttl', usage: 'Events not updated for this long are deleted.' },
    {
      type: 'duration',
      isBool: false,
      set: (raw) => void (o.eventTTLSeconds = parseDuration(raw) / 1000),
      string: () => formatDuration((o.eventTTLSeconds ?? 0) * 1000),
      isZero: () => !o.eventTTLSeconds,
    },
  );
  fs.string(o, 'advertiseAddress', { name: 'advertise-address', usage: 'IP the kubernetes Service endpoints point at (default: first non-loopback IP).' });
  fs.int(o, 'maxRequestBodyBytes', { name: 'max-request-bytes', usage: 'k8ts: request bodies larger than this get 413.' });
  // Security flags (issue #4): every one lands in APIServerOptions with upstream's default filled in.
  o.anonymousAuth ??= true;
  o.clientCAFile ??= '';
  o.tokenAuthFile ??= '';
  o.enableBootstrapTokenAuth ??= false;
  o.serviceAccountIssuers ??= [];
  o.serviceAccountKeyFiles ??= [];
  o.serviceAccountSigningKeyFile ??= '';
  o.serviceAccountLookup ??= true;
  o.serviceAccountMaxTokenExpirationSeconds ??= 0;
  o.apiAudiences ??= [];
  o.serviceAccountExtendTokenExpiration ??= true;
  o.serviceAccountJWKSURI ??= '';
  o.authorizationMode ??= ['AlwaysAllow'];
  o.enableAdmissionPlugins ??= [];
  o.disableAdmissionPlugins ??= [];
  o.admissionControlConfigFile ??= '';
  o.allowPrivileged ??= false;
  o.encryptionProviderConfig ??= '';
  o.auditLogPath ??= '';
  o.auditPolicyFile ??= '';
  o.auditLogMaxAge ??= 0;
  o.auditLogMaxBackup ??= 0;
  o.auditLogMaxSize ??= 0;
  o.kubeletClientCertificate ??= '';
  o.kubeletClientKey ??= '';
  o.kubeletCertificateAuthority ??= '';
  o.requestheaderClientCAFile ??= '';
  o.requestheaderAllowedNames ??= [];
  o.requestheaderUsernameHeaders ??= [];
  o.requestheaderUIDHeaders ??= [];
  o.requestheaderGroupHeaders ??= [];
  o.requestheaderExtraHeadersPrefix ??= [];
  o.proxyClientCertFile ??= '';
  o.proxyClientKeyFile ??= '';
  o.enableAggregatorRouting ??= false;
  const sec = o as Required<APIServerOptions>;
  fs.bool(sec, 'anonymousAuth', { name: 'anonymous-auth', usage: 'Requests without credentials are served as system:anonymous (group system:unauthenticated).' });
  fs.string(sec, 'clientCAFile', { name: 'client-ca-file', usage: 'CA bundle that verifies client certificates; CN is the user, O the groups.' });
  fs.string(sec, 'tokenAuthFile', { name: 'token-auth-file', usage: 'Static bearer tokens: CSV lines token,user,uid,"group1,group2".' });
  fs.bool(sec, 'enableBootstrapTokenAuth', { name: 'enable-bootstrap-token-auth', usage: 'Accept bootstrap tokens (secrets bootstrap-token-* in kube-system).' });
  fs.stringSlice(sec, 'serviceAccountIssuers', { name: 'service-account-issuer', usage: 'Issuer of service-account tokens (repeatable: the first issues, all are accepted).' });
  fs.stringSlice(sec, 'serviceAccountKeyFiles', { name: 'service-account-key-file', usage: 'PEM keys that verify service-account tokens (repeatable).' });
  fs.string(sec, 'serviceAccountSigningKeyFile', { name: 'service-account-signing-key-file', usage: 'Private key that signs service-account tokens.' });
  fs.bool(sec, 'serviceAccountLookup', { name: 'service-account-lookup', usage: 'Check that service accounts named by tokens still exist.' });
  fs.duration(sec, 'serviceAccountMaxTokenExpirationSeconds', 's', { name: 'service-account-max-token-expiration', usage: 'Longest token lifetime issued (0 = no maximum).' });
  fs.stringSlice(sec, 'apiAudiences', { name: 'api-audiences', usage: 'Audiences API tokens must carry (default: the service-account issuers).' });
  fs.bool(sec, 'serviceAccountExtendTokenExpiration', { name: 'service-account-extend-token-expiration', usage: "Issue kubelet's projected (3607 s, pod-bound) tokens valid for a year, warning after the requested lifetime." });
  fs.string(sec, 'serviceAccountJWKSURI', { name: 'service-account-jwks-uri', usage: 'jwks_uri in /.well-known/openid-configuration (default: https://<advertise address>:<secure port>/openid/v1/jwks).' });
  fs.stringSlice(sec, 'authorizationMode', { name: 'authorization-mode', usage: 'Authorizers in order: AlwaysAllow, AlwaysDeny, RBAC, Node (e.g. Node,RBAC).' });
  fs.stringSlice(sec, 'enableAdmissionPlugins', { name: 'enable-admission-plugins', usage: 'Admission plugins to enable besides the defaults.' });
  fs.stringSlice(sec, 'disableAdmissionPlugins', { name: 'disable-admission-plugins', usage: 'Default admission plugins to turn off.' });
  fs.string(sec, 'admissionControlConfigFile', { name: 'admission-control-config-file', usage: 'AdmissionConfiguration file with per-plugin settings.' });
  fs.bool(sec, 'allowPrivileged', { name: 'allow-privileged', usage: 'Admit privileged containers.' });
  fs.string(sec, 'encryptionProviderConfig', { name: 'encryption-provider-config', usage: 'EncryptionConfiguration for secrets at rest.' });
  fs.string(sec, 'auditLogPath', { name: 'audit-log-path', usage: 'Audit log file (- for stdout).' });
  fs.string(sec, 'auditPolicyFile', { name: 'audit-policy-file', usage: 'Audit policy (audit.k8s.io/v1 Policy).' });
  fs.int(sec, 'auditLogMaxAge', { name: 'audit-log-maxage', usage: 'Days to keep rotated audit log files (0: no limit).' });
  fs.int(sec, 'auditLogMaxBackup', { name: 'audit-log-maxbackup', usage: 'Rotated audit log files to keep (0: no limit).' });
  fs.int(sec, 'auditLogMaxSize', { name: 'audit-log-maxsize', usage: 'Audit log size in MiB before it is rotated (0: never).' });
  fs.string(sec, 'kubeletClientCertificate', { name: 'kubelet-client-certificate', usage: 'Client certificate for talking to kubelets.' });
  fs.string(sec, 'kubeletClientKey', { name: 'kubelet-client-key', usage: 'Client key for talking to kubelets.' });
  fs.string(sec, 'kubeletCertificateAuthority', { name: 'kubelet-certificate-authority', usage: 'CA that verifies kubelet serving certificates.' });
  fs.string(sec, 'requestheaderClientCAFile', { name: 'requestheader-client-ca-file', usage: 'CA that verifies front-proxy client certificates before their --requestheader-username-headers are trusted.' });
  fs.stringSlice(sec, 'requestheaderAllowedNames', { name: 'requestheader-allowed-names', usage: 'Common names a front-proxy client certificate may have (empty: any).' });
  fs.stringSlice(sec, 'requestheaderUsernameHeaders', { name: 'requestheader-username-headers', usage: 'Request headers naming the user (e.g. X-Remote-User), tried in order.' });
  fs.stringSlice(sec, 'requestheaderUIDHeaders', { name: 'requestheader-uid-headers', usage: 'Request headers carrying the user UID.' });
  fs.stringSlice(sec, 'requestheaderGroupHeaders', { name: 'requestheader-group-headers', usage: 'Request headers carrying the groups (e.g. X-Remote-Group).' });
  fs.stringSlice(sec, 'requestheaderExtraHeadersPrefix', { name: 'requestheader-extra-headers-prefix', usage: 'Request header prefixes of extra user info (e.g. X-Remote-Extra-).' });
  fs.string(sec, 'proxyClientCertFile', { name: 'proxy-client-cert-file', usage: 'Client certificate the aggregator presents to extension apiservers.' });
  fs.string(sec, 'proxyClientKeyFile', { name: 'proxy-client-key-file', usage: 'Private key of --proxy-client-cert-file.' });
  fs.bool(sec, 'enableAggregatorRouting', { name: 'enable-aggregator-routing', usage: 'Route aggregated APIs to endpoint addresses (k8ts always does: it has no service proxy).' });
  fs.int(o, 'verbosity', { name: 'v', shorthand: 'v', type: 'Level', usage: 'Log verbosity: higher numbers log more.' });
  fs.enum(o, 'loggingFormat', ['text', 'json'], { name: 'logging-format', usage: 'Log format: text (klog) or json.' });
  for (const f of acceptedButIgnoredAPIServerFlags) fs.ignored(f);
  return { flags: fs, options: o };
}

/**
 * Fills defaults that follow other flags (--cert-dir and --datastore-endpoint live under --data-dir unless
 * given) and validates combinations. Returns the problems found (empty = usable), worded like upstream's.
 */
export function completeAPIServerOptions(flags: FlagSet, o: APIServerOptions): string[] {
  o.dataDir = resolve(o.dataDir);
  if (!flags.changed('cert-dir')) o.certDir = `${o.dataDir}/pki/apiserver`;
  if (!flags.changed('datastore-endpoint')) o.datastoreEndpoint = `sqlite://${o.dataDir}/state.db`;
  const errs: string[] = [];
  const port = (name: string, v: number): void => {
    if (v < 0 || v > 65535) errs.push(`--${name} ${v} must be between 0 and 65535, inclusive. 0 for turning off the port.`);
  };
  port('secure-port', o.securePort);
  port('insecure-port', o.insecurePort);
  if (o.securePort === 0 && o.insecurePort === 0) errs.push('--secure-port and --insecure-port cannot both be 0: nothing would be served');
  if (o.bindAddress && isIP(o.bindAddress) === 0) errs.push(`--bind-address ${JSON.stringify(o.bindAddress)} is not an IP address`);
  if (!!o.proxyClientCertFile !== !!o.proxyClientKeyFile) errs.push('--proxy-client-cert-file and --proxy-client-key-file must both be set or both be empty');
  if (o.advertiseAddress && isIP(o.advertiseAddress) === 0) errs.push(`--advertise-address ${JSON.stringify(o.advertiseAddress)} is not an IP address`);
  if (!!o.tlsCertFile !== !!o.tlsPrivateKeyFile) errs.push('--tls-cert-file and --tls-private-key-file must be given together');
  if (o.etcdServers.length === 0 && !/^(sqlite:\/\/[^?]+|memory:\/\/)$/.test(o.datastoreEndpoint)) {
    errs.push(`--datastore-endpoint ${JSON.stringify(o.datastoreEndpoint)} must be sqlite:///<absolute path> or memory://`);
  }
  for (const s of o.etcdServers) {
    if (!/^https?:\/\/[^/]+\/?$/.test(s)) errs.push(`--etcd-servers: ${JSON.stringify(s)} is not an http(s)://host:port URL`);
  }
  if (o.maxRequestBodyBytes <= 0) errs.push('--max-request-bytes must be positive');
  if (o.verbosity < 0) errs.push('-v must not be negative');
  if (o.etcdCompactionIntervalSeconds < 0) errs.push('--etcd-compaction-interval must not be negative');
  if ((o.eventTTLSeconds ?? 0) <= 0) errs.push('--event-ttl must be positive');
  errs.push(...validateAdmissionFlags({ enable: o.enableAdmissionPlugins, disable: o.disableAdmissionPlugins }));
  return errs;
}
