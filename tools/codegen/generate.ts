// Runs every generator and returns the files they produce (repo-relative path → content).
// main.ts writes the result; check.ts compares it with what is committed.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadOpenAPI } from './openapi.js';
import { servedDefinitions } from './definitions.js';
import { buildResourceTable, emitResources } from './resources.js';
import { emitSchemaTable } from './schema-table.js';
import { emitKindIndex, emitTypeScript } from './typescript.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface GenerateOptions {
  /** Path of the Kubernetes OpenAPI v2 document. */
  openapiPath: string;
  /** Path of the protobuf field table (input of tools/codegen/protobuf.ts). */
  protobufFieldsPath: string;
}

export function defaultGenerateOptions(): GenerateOptions {
  const shared = resolve(repoRoot, '../shared/k8s-api-1.36');
  return { openapiPath: join(shared, 'openapi-v2.json'), protobufFieldsPath: join(shared, 'protobuf-fields.json') };
}

/** The protobuf generator is owned separately and may not exist yet; it runs when it does. */
interface ProtobufGenerator {
  generate(openapiPath: string, protobufFieldsPath: string): Map<string, string> | Promise<Map<string, string>>;
}

export async function generateAll(options: GenerateOptions): Promise<Map<string, string>> {
  const doc = loadOpenAPI(options.openapiPath);
  const files = new Map<string, string>();
  files.set('src/api/generated/resources.ts', emitResources(buildResourceTable(doc)));
  const defs = servedDefinitions(doc);
  files.set('src/api/generated/definitions.ts', emitSchemaTable(defs));
  for (const [path, content] of emitTypeScript(defs)) files.set(path, content);
  files.set('src/api/generated/kinds.ts', emitKindIndex(defs));

  const protobufModule = join(repoRoot, 'tools/codegen/protobuf.ts');
  if (existsSync(protobufModule)) {
    const mod = (await import(pathToFileURL(protobufModule).href)) as ProtobufGenerator;
    for (const [path, content] of await mod.generate(options.openapiPath, options.protobufFieldsPath)) {
      if (files.has(path)) throw new Error(`two generators write ${path}`);
      files.set(path, content);
    }
  }
  return files;
}
