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
