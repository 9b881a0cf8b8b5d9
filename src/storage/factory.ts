// Chooses and opens the Store the apiserver runs on, from its flags: --etcd-servers wins, otherwise
// --datastore-endpoint (sqlite:///abs/path/state.db or memory://).
import { resolve } from 'node:path';
import { openEtcdStore } from './etcd/etcd-store.js';
import type { Store } from './interface.js';
import { openMemoryStore } from './memory/memory-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export interface OpenStoreOptions {
  /** `sqlite:///absolute/path/state.db` or `memory://`; ignored when etcdServers is non-empty. */
  datastoreEndpoint: string;
  /** --etcd-servers: client URLs (entries may themselves be comma-separated lists). */
  etcdServers: string[];
  etcdCAFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
}

const accepted = 'use sqlite:///absolute/path/state.db or memory://, or --etcd-servers for etcd';

/** The embedded backends, by URL scheme. */
const datastores: { scheme: string; open(rest: string, endpoint: string): Store }[] = [
  {
    scheme: 'sqlite://',
    open(rest, endpoint) {
      // sqlite:///abs/path is the documented form; sqlite://relative/path resolves against the working directory.
      if (rest === '' || rest.includes('?')) throw new Error(`datastore endpoint ${endpoint}: want a file path and no options; ${accepted}`);
      return openSqliteStore({ path: resolve(decodeURIComponent(rest)) });
    },
  },
  {
    scheme: 'memory://',
    open(rest, endpoint) {
      if (rest !== '') throw new Error(`datastore endpoint ${endpoint}: memory:// takes no path; ${accepted}`);
      return openMemoryStore();
    },
  },
];

/**
 * Opens the configured store. etcd connections are lazy (the first request connects); SQLite files and
 * their directories are created. Throws a plain Error naming the accepted forms for a bad endpoint.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const servers = opts.etcdServers.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (servers.length > 0) {
    return openEtcdStore({ endpoints: servers, caFile: opts.etcdCAFile, certFile: opts.etcdCertFile, keyFile: opts.etcdKeyFile });
  }
  const endpoint = opts.datastoreEndpoint.trim();
  const backend = datastores.find((d) => endpoint.startsWith(d.scheme));
  if (!backend) {
    throw new Error(`unknown datastore endpoint ${JSON.stringify(endpoint)}: ${accepted}`);
  }
  return backend.open(endpoint.slice(backend.scheme.length), endpoint);
}
