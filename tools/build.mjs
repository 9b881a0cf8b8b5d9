// Bundles src/cli/main.ts into dist/k8ts.js with esbuild (no type checking here:
// `npm run typecheck` does that). Native and data-carrying packages stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/k8ts.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  logLevel: 'warning',
});
