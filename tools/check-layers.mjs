// The one-way layering rule of ARCHITECTURE.md, checked in CI (npm run lint):
//   - a folder under src/ imports only from its own layer and the layers below it;
//   - components (apiserver, controller-manager, scheduler, …) never import each other;
//   - only the apiserver imports src/storage;
//   - src/ never imports test/, tools/ or bench/;
//   - no import cycles among src/ files.
// It reads static `import … from '…'`, `export … from '…'` and `import('…')` specifiers of .ts files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Layers from the bottom up; a layer may import its own rank and lower ranks. */
const rank = {
  base: 0,
  apimachinery: 1,
  api: 2,
  storage: 3,
  pki: 3,
  client: 4,
  apiserver: 5,
  'controller-manager': 5,
  scheduler: 5,
  kubelet: 5,
  proxy: 5,
  dns: 5,
  ingress: 5,
  dashboard: 5,
  cluster: 6,
  cli: 7,
};
const components = new Set(Object.keys(rank).filter((k) => rank[k] === 5));
/** Same-rank pairs that are still forbidden (storage and pki are independent of each other). */
const independent = (a, b) => (components.has(a) && components.has(b)) || (a === 'storage' && b === 'pki') || (a === 'pki' && b === 'storage');

/** Only the apiserver touches storage (cluster and cli may wire it up). */
const storageUsers = new Set(['apiserver', 'cluster', 'cli']);

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');

function listTs(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listTs(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const specifierPattern = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out = [];
  for (const m of text.matchAll(specifierPattern)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    out.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

function topFolder(file) {
  const rel = relative(root, file).split('/');
  return { area: rel[0], layer: rel[0] === 'src' ? rel[1] : undefined };
}

const errors = [];
const graph = new Map();
const files = ['src', 'test', 'tools', 'bench'].flatMap((d) => listTs(join(root, d)));
for (const file of files) {
  const from = topFolder(file);
  const deps = importsOf(file);
  graph.set(file, deps.filter((d) => topFolder(d).area === 'src'));
  if (from.area !== 'src') continue;
  for (const dep of deps) {
    const to = topFolder(dep);
    const where = `${relative(root, file)} → ${relative(root, dep)}`;
    if (to.area !== 'src') {
      errors.push(`src-does-not-import-tests-or-tools: ${where}`);
      continue;
    }
    if (from.layer === to.layer) continue;
    if (!(from.layer in rank) || !(to.layer in rank)) {
      errors.push(`unknown-layer (add it to tools/check-layers.mjs): ${where}`);
    } else if (rank[to.layer] > rank[from.layer]) {
      errors.push(`layer-${from.layer} imports a higher layer: ${where}`);
    } else if (independent(from.layer, to.layer)) {
      errors.push(`components-are-independent: ${where}`);
    } else if (to.layer === 'storage' && !storageUsers.has(from.layer)) {
      errors.push(`only-apiserver-touches-storage: ${where}`);
    }
  }
}

// Cycles among src/ files: depth-first search with colours.
const state = new Map();
const stack = [];
function visit(file) {
  state.set(file, 1);
  stack.push(file);
  for (const dep of graph.get(file) ?? []) {
    if (!graph.has(dep)) continue;
    if (state.get(dep) === 1) {
      const cycle = stack.slice(stack.indexOf(dep)).concat(dep).map((f) => relative(root, f));
      errors.push(`no-circular: ${cycle.join(' → ')}`);
    } else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(file, 2);
}
for (const file of graph.keys()) if (file.includes('/src/') && !state.has(file)) visit(file);

if (errors.length) {
  for (const e of errors) console.error(`  error ${e}`);
  console.error(`${errors.length} layering violation(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`no layering violations (${files.length} files, ${[...graph.values()].reduce((n, d) => n + d.length, 0)} imports of src/)`);
