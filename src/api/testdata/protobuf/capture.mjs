// Records the request bodies real kubectl sends for typed creates (protobuf on kubectl 1.32+), as test
// fixtures for src/api/protobuf.test.ts. Serves just enough discovery on 127.0.0.1 for kubectl to get
// to its POST, saves each body as <name>.pb, and answers with a minimal object. Also saves kubectl's own
// JSON rendering of the same object (`--dry-run=client -o json`) as <name>.kubectl.json.
//   node src/api/testdata/protobuf/capture.mjs [/path/to/kubectl]
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const kubectl = process.argv[2] ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const outDir = dirname(fileURLToPath(import.meta.url));

/** group/version → resources kubectl's generators create: [plural, kind, namespaced]. */
const groups = {
  v1: [['namespaces', 'Namespace', false], ['pods', 'Pod', true], ['serviceaccounts/token', 'TokenRequest', true], ['configmaps', 'ConfigMap', true], ['secrets', 'Secret', true],
    ['services', 'Service', true], ['serviceaccounts', 'ServiceAccount', true], ['resourcequotas', 'ResourceQuota', true]],
  'apps/v1': [['deployments', 'Deployment', true]],
  'batch/v1': [['jobs', 'Job', true], ['cronjobs', 'CronJob', true]],
  'rbac.authorization.k8s.io/v1': [['roles', 'Role', true], ['rolebindings', 'RoleBinding', true],
    ['clusterroles', 'ClusterRole', false], ['clusterrolebindings', 'ClusterRoleBinding', false]],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget', true]],
  'networking.k8s.io/v1': [['ingresses', 'Ingress', true]],
  'scheduling.k8s.io/v1': [['priorityclasses', 'PriorityClass', false]],
  'authorization.k8s.io/v1': [['selfsubjectaccessreviews', 'SelfSubjectAccessReview', false], ['selfsubjectrulesreviews', 'SelfSubjectRulesReview', false]],
  'authentication.k8s.io/v1': [['selfsubjectreviews', 'SelfSubjectReview', false]],
};

function resourceList(gv) {
  return {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv,
    resources: groups[gv].map(([name, kind, namespaced]) => ({
      name, singularName: name.includes('/') ? '' : kind.toLowerCase(), namespaced, kind,
      ...(kind === 'TokenRequest' ? { group: 'authentication.k8s.io', version: 'v1' } : {}),
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    })),
  };
}

let current = 'unnamed';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const send = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    if (req.method === 'POST') {
      const body = Buffer.concat(chunks);
      writeFileSync(join(outDir, `${current}.pb`), body);
      console.log(`${current}: ${req.headers['content-type']} ${body.length} bytes ${url.pathname}`);
      const parts = url.pathname.split('/').filter(Boolean);
      const plural = parts.at(-1) === 'token' ? 'serviceaccounts/token' : parts.at(-1);
      const entry = Object.entries(groups).flatMap(([gv, rs]) => rs.map((r) => [gv, ...r])).find((r) => r[1] === plural);
      if (entry[2] === 'TokenRequest') entry[0] = 'authentication.k8s.io/v1';
      return send(201, { apiVersion: entry[0], kind: entry[2], metadata: { name: 'captured', namespace: entry[3] ? 'default' : undefined } });
    }
    if (url.pathname === '/version') return send(200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    if (url.pathname === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/api/v1') return send(200, resourceList('v1'));
    if (url.pathname === '/apis') {
      const list = Object.keys(groups).filter((gv) => gv !== 'v1').map((gv) => {
        const [group, version] = gv.split('/');
        return { name: group, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: list });
    }
    const gv = url.pathname.replace(/^\/apis\//, '');
    if (groups[gv]) return send(200, resourceList(gv));
    send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' });
  });
});

const cases = [
  ['namespace', ['create', 'namespace', 'demo']],
  ['deployment', ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '--port=80']],
  ['deployment-zero-replicas', ['create', 'deployment', 'idle', '--image=busybox', '--replicas=0', '--', 'sleep', '3600']],
  ['configmap', ['create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=greeting=hello world']],
  ['secret', ['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=pass=s3cr3t\u00e9']],
  ['service', ['create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443']],
  ['serviceaccount', ['create', 'serviceaccount', 'robot']],
  ['role', ['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=a']],
  ['clusterrolebinding', ['create', 'clusterrolebinding', 'admins', '--clusterrole=cluster-admin', '--user=alice', '--group=ops', '--serviceaccount=default:robot']],
  ['job', ['create', 'job', 'once', '--image=busybox', '--', 'echo', 'hi']],
  ['cronjob', ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure']],
  ['quota', ['create', 'quota', 'q', '--hard=cpu=1500m,memory=2Gi,pods=10']],
  ['pdb-min-available-zero', ['create', 'pdb', 'pdb0', '--selector=app=web', '--min-available=0']],
  ['pdb-max-unavailable-percent', ['create', 'pdb', 'pdb1', '--selector=app=web', '--max-unavailable=25%']],
  ['ingress', ['create', 'ingress', 'site', '--rule=example.com/api*=api:8080,tls=cert', '--class=nginx']],
  ['priorityclass', ['create', 'priorityclass', 'high', '--value=1000', '--description=important', '--preemption-policy=Never']],
  // No client-side JSON rendering exists for these; their expected JSON is written in the test.
  ['token', ['create', 'token', 'robot', '--duration=1h', '--audience=api,vault'], { noJSON: true }],
  ['can-i', ['auth', 'can-i', 'list', 'pods', '--subresource=log'], { noJSON: true }],
  ['whoami', ['auth', 'whoami'], { noJSON: true }],
];

// kubectl must run asynchronously: this same event loop answers its requests.
const run = (args) =>
  new Promise((resolve) => {
    execFile(kubectl, args, { encoding: 'utf8', timeout: 20000 }, (err, stdout, stderr) =>
      resolve(err ? { failure: `${err.code}: ${stderr}` } : { stdout }),
    );
  });

server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-capture-'));
  for (const [name, args, opts = {}] of cases) {
    current = name;
    const common = [`--server=http://127.0.0.1:${port}`, `--cache-dir=${cacheDir}`, '-n', 'default'];
    const created = await run([...common, ...args]);
    if (created.failure) console.error(`${name}: kubectl failed: ${created.failure}`);
    if (opts.noJSON) continue;
    const [verb, ...rest] = args;
    const dashDash = rest.indexOf('--');
    const flags = ['--dry-run=client', '-o', 'json'];
    const shown = await run([...common, verb, ...(dashDash >= 0 ? [...rest.slice(0, dashDash), ...flags, ...rest.slice(dashDash)] : [...rest, ...flags])]);
    if (shown.failure) console.error(`${name}: kubectl -o json failed: ${shown.failure}`);
    else writeFileSync(join(outDir, `${name}.kubectl.json`), shown.stdout);
  }
  server.close();
});
