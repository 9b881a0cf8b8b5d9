// Renders the normalised definitions as src/api/generated/definitions.ts: a JSON string parsed once at load,
// which keeps the type checker fast (a string literal costs nothing to check, a 200 KB object literal does).
import type { DefinitionSchema } from '../../src/api/definition.js';
import { generatedHeader } from './emit.js';

/** Escapes text for the inside of a template literal. */
function templateText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

export function emitSchemaTable(defs: DefinitionSchema[]): string {
  const body = defs.map((d) => `${JSON.stringify(d.name)}:${JSON.stringify(d)}`).join(',\n');
  return [
    generatedHeader,
    '// Schema of every served definition (GA group-versions and apimachinery), one per line; see ../definition.ts.',
    "import type { DefinitionSchema } from '../definition.js';",
    '',
    'export const definitions: Readonly<Record<string, DefinitionSchema>> = JSON.parse(`{',
    templateText(body),
    '}`);',
    '',
  ].join('\n');
}
