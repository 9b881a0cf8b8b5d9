// Shared steps of the PKI end-to-end tests: an HTTPS request with or without a client certificate (curl's
// --cert/--key/--insecure), and a kubeconfig written by the real `kubectl config` commands, as the tutorials do.
import { request } from 'node:https';
import assert from 'node:assert/strict';
import { kubectl, type KubectlVersion, type KubectlResult } from '../harness/kubectl.js';

export interface HTTPSResult {
  status: number;
  body: string;
}

/**
 * One HTTPS request to `url` + `path` on a fresh connection. Without `ca`, the server is not verified
 * (curl --insecure); `cert`/`key` are the client certificate (curl --cert/--key).
 */
export function httpsRequest(opts: { url: string; path: string; method?: string; cert?: string; key?: string; ca?: string }): Promise<HTTPSResult> {
  const u = new URL(opts.path, opts.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', cert: opts.cert, key: opts.key, ca: opts.ca, rejectUnauthorized: opts.ca !== undefined, agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (s: string) => (body += s));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end();
  });
}

export function explain(r: KubectlResult): string {
  return `${r.command} → exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/**
 * Writes `file` with kubectl config set-cluster / set-credentials / set-context / use-context (certificates
 * embedded), run in `cwd` so that relative file names work as in the tutorials.
 */
export async function kubeconfigByKubectl(opts: { version: KubectlVersion; file: string; cwd: string; server: string; caFile: string; certFile: string; keyFile: string; user: string }): Promise<void> {
  const steps = [
    ['config', 'set-cluster', 'kubernetes-the-hard-way', `--certificate-authority=${opts.caFile}`, '--embed-certs=true', `--server=${opts.server}`],
    ['config', 'set-credentials', opts.user, `--client-certificate=${opts.certFile}`, `--client-key=${opts.keyFile}`, '--embed-certs=true'],
    ['config', 'set-context', 'default', '--cluster=kubernetes-the-hard-way', `--user=${opts.user}`],
    ['config', 'use-context', 'default'],
  ];
  for (const args of steps) {
    const r = await kubectl({ version: opts.version, kubeconfig: opts.file, cwd: opts.cwd, args });
    assert.equal(r.code, 0, explain(r));
  }
}
