// `npm run codegen`: regenerates the committed API code from the Kubernetes OpenAPI document.
//   node --import tsx tools/codegen/main.ts [--openapi path] [--protobuf-fields path]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultGenerateOptions, generateAll, repoRoot } from './generate.js';

const { values } = parseArgs({
  options: {
    openapi: { type: 'string' },
    'protobuf-fields': { type: 'string' },
  },
});
const defaults = defaultGenerateOptions();
const files = await generateAll({
  openapiPath: values.openapi ? resolve(values.openapi) : defaults.openapiPath,
  protobufFieldsPath: values['protobuf-fields'] ? resolve(values['protobuf-fields']) : defaults.protobufFieldsPath,
});
for (const [path, content] of files) {
  const target = join(repoRoot, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}
console.log(`codegen: wrote ${files.size} files`);
