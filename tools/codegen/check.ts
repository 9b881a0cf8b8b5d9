// `npm run lint` step: fails when the committed generated code differs from what the generators produce
// now. Without ../shared (users' machines) there is nothing to regenerate from, so it only says so.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generatedHeader } from './emit.js';
import { defaultGenerateOptions, generateAll, repoRoot } from './generate.js';

/** Repo-relative paths of committed files that carry the generated-file header. */
function committedGeneratedFiles(dir: string, out: string[] = []): string[] {
  const abs = join(repoRoot, dir);
  if (!existsSync(abs)) return out;
  for (const name of readdirSync(abs)) {
    const rel = `${dir}/${name}`;
    if (statSync(join(repoRoot, rel)).isDirectory()) committedGeneratedFiles(rel, out);
    else if (name.endsWith('.ts') && readFileSync(join(repoRoot, rel), 'utf8').startsWith(generatedHeader)) out.push(rel);
  }
  return out;
}

const options = defaultGenerateOptions();
if (!existsSync(options.openapiPath)) {
  console.log(`codegen check: ${options.openapiPath} not found; skipping the up-to-date check`);
  process.exit(0);
}

const expected = await generateAll(options);
const problems: string[] = [];
for (const [path, content] of expected) {
  const target = join(repoRoot, path);
  if (!existsSync(target)) problems.push(`missing: ${path}`);
  else if (readFileSync(target, 'utf8') !== content) problems.push(`differs: ${path}`);
}
for (const path of committedGeneratedFiles('src')) {
  if (!expected.has(path)) problems.push(`stale (no generator writes it): ${path}`);
}
if (problems.length) {
  // Leave the fresh output where it can be diffed against the checkout.
  const fresh = mkdtempSync(join(tmpdir(), 'k8ts-codegen-'));
  for (const [path, content] of expected) {
    mkdirSync(dirname(join(fresh, path)), { recursive: true });
    writeFileSync(join(fresh, path), content);
  }
  console.error(`codegen check: generated code is out of date; run \`npm run codegen\`:\n  ${problems.join('\n  ')}`);
  console.error(`  fresh output: ${fresh} (diff -r ${fresh}/src src)`);
  process.exit(1);
}
console.log(`codegen check: ${expected.size} generated files up to date`);
