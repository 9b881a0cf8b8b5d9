// `npm run lint`: type check, the one-way layering rule, and "generated code is up to date".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function step(name, cmd, args) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  console.log(`lint: ${name} ${r.status === 0 ? 'ok' : 'FAILED'} (${Date.now() - t} ms)`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

step('typecheck', 'npx', ['--no-install', 'tsc', '-p', '.']);
step('layers', process.execPath, ['tools/check-layers.mjs']);
if (existsSync('tools/codegen/check.ts')) step('codegen up to date', process.execPath, ['--import', 'tsx', 'tools/codegen/check.ts']);
