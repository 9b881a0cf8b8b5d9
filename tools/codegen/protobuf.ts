// Generates src/api/generated/protobuf-table.ts: the protobuf wire layout of every built-in kind (from
// protobuf-fields.json) with JSON names, Go pointer-ness and GVK mapping (from the OpenAPI document).
//   node --import tsx tools/codegen/protobuf.ts [openapi.json] [protobuf-fields.json]   (writes the file)

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldTuple, FieldType, KindTuple, MessageTuple, SpecialMessage } from '../../src/apimachinery/protobuf/table.js';
import { fieldInline, fieldPointer, fieldRepeated } from '../../src/apimachinery/protobuf/table.js';

const here = dirname(fileURLToPath(import.meta.url));
const outputPath = 'src/api/generated/protobuf-table.ts';
/**
 * Facts the proto files do not carry: which Go fields are pointers (so that 0/false/"" on the wire is a
 * value). Extracted once from the k8s.io/api and k8s.io/apimachinery Go types; see its _provenance.
 */
const pointerFactsPath = join(here, 'protobuf-go-pointer-fields.json');

interface ProtoField {
  name: string;
  number: number;
  type: string;
  repeated?: boolean;
  key?: string;
  value?: string;
}

interface OpenAPIDefinition {
  type?: string;
  properties?: Record<string, unknown>;
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
}

const scalars = new Set(['string', 'bytes', 'bool', 'int32', 'int64', 'uint32', 'uint64', 'double', 'float']);

const specialByName: Record<string, SpecialMessage> = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'time',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'microtime',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'k8s.io.apimachinery.pkg.api.resource.QuantityValue': 'quantity',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'intorstring',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'raw',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'raw',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'duration',
};

/** proto `k8s.io.api.apps.v1.Deployment` ↔ OpenAPI `io.k8s.api.apps.v1.Deployment`. */
const definitionName = (message: string): string => `io.k8s.${message.slice('k8s.io.'.length)}`;
const messageName = (definition: string): string => `k8s.io.${definition.slice('io.k8s.'.length)}`;

/** Resolves a field's type name the way protoc does for our inputs: absolute, or relative to the package. */
function resolveType(type: string, fromMessage: string, messages: Record<string, ProtoField[]>): string {
  if (type.startsWith('.')) return type.slice(1);
  if (messages[type]) return type;
  let scope = fromMessage.slice(0, fromMessage.lastIndexOf('.'));
  while (scope) {
    if (messages[`${scope}.${type}`]) return `${scope}.${type}`;
    scope = scope.slice(0, Math.max(0, scope.lastIndexOf('.')));
  }
  throw new Error(`cannot resolve type ${type} used in ${fromMessage}`);
}

export function generate(openapiPath: string, protobufFieldsPath: string): Map<string, string> {
  const definitions = (JSON.parse(readFileSync(openapiPath, 'utf8')) as { definitions: Record<string, OpenAPIDefinition> })
    .definitions;
  const messages = (JSON.parse(readFileSync(protobufFieldsPath, 'utf8')) as { messages: Record<string, ProtoField[]> })
    .messages;
  const pointers = (JSON.parse(readFileSync(pointerFactsPath, 'utf8')) as { pointerFields: Record<string, string[]> })
    .pointerFields;

  // Roots: every kind the OpenAPI document names that has a proto message; then all they reach.
  const kindsByMessage: Array<[string, string, string, string]> = [];
  for (const [def, d] of Object.entries(definitions)) {
    const msg = messageName(def);
    if (!messages[msg]) continue;
    for (const gvk of d['x-kubernetes-group-version-kind'] ?? []) kindsByMessage.push([gvk.group, gvk.version, gvk.kind, msg]);
  }
  const reachable = new Set<string>();
  const visit = (msg: string): void => {
    if (reachable.has(msg)) return;
    reachable.add(msg);
    for (const f of messages[msg]) {
      for (const t of [f.type, f.value]) {
        if (t && t !== 'map' && !scalars.has(t)) visit(resolveType(t, msg, messages));
      }
    }
  };
  for (const [, , , msg] of kindsByMessage) visit(msg);
  const names = [...reachable].sort();
  const index = new Map(names.map((n, i) => [n, i]));

  const table: MessageTuple[] = names.map((msg): MessageTuple => {
    const def = definitions[definitionName(msg)];
    const props = def?.properties ? Object.keys(def.properties) : undefined;
    const fields = messages[msg];
    let special = specialByName[msg] ?? '';
    if (!special && fields.length === 1 && fields[0].name === 'items' && fields[0].repeated && !(def?.type === 'object')) {
      special = 'items'; // e.g. authentication ExtraValue: a Go []string with a wrapper message on the wire
    }
    const pointerNames = new Set(pointers[msg] ?? []);
    const tuples = fields.map((f): FieldTuple => {
      let jsonName = f.name;
      let flags = f.repeated ? fieldRepeated : 0;
      let type: FieldType;
      let ref = -1;
      if (f.type === 'map') {
        if (f.key !== 'string') throw new Error(`${msg}.${f.name}: map key ${f.key} is not supported`);
        const v = f.value ?? '';
        if (v === 'string' || v === 'bytes') type = v === 'string' ? 'map<string>' : 'map<bytes>';
        else {
          type = 'map<message>';
          ref = index.get(resolveType(v, msg, messages)) as number;
        }
      } else if (scalars.has(f.type)) {
        type = f.type as FieldType;
      } else {
        type = 'message';
        ref = index.get(resolveType(f.type, msg, messages)) as number;
      }
      if (props && !props.includes(f.name)) {
        // Go names the proto field after the Go field (`uID`, `Webhooks`); JSON may differ in case only.
        const same = props.find((p) => p.toLowerCase() === f.name.toLowerCase());
        if (same) jsonName = same;
        else if (type === 'message') flags |= fieldInline; // an embedded struct: its members are the parent's
      }
      if (pointerNames.has(jsonName)) flags |= fieldPointer;
      return [f.number, jsonName, type, ref, flags];
    });
    return [msg, special, tuples];
  });

  const kinds: KindTuple[] = kindsByMessage
    .map(([g, v, k, msg]): KindTuple => [g, v, k, index.get(msg) as number])
    .sort((a, b) => {
      // Plain code-unit order: localeCompare would depend on the machine's locale.
      const ka = `${a[0]}/${a[1]}/${a[2]}`;
      const kb = `${b[0]}/${b[1]}/${b[2]}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });

  const lines = [
    '// Code generated by tools/codegen; DO NOT EDIT.',
    '// Protobuf layout of the built-in API types (tools/codegen/protobuf.ts): per message its fields as',
    '// [number, JSON name, type, message index, flags: 1 repeated, 2 Go pointer, 4 inlined]; kinds map GVKs to messages.',
    "import type { ProtobufTable } from '../../apimachinery/protobuf/table.js';",
    '',
    'export const protobufTable: ProtobufTable = {',
    '  messages: [',
    ...table.map(([name, special, fields], i) => `    /* ${i} */ [${JSON.stringify(name)}, ${JSON.stringify(special)}, ${JSON.stringify(fields)}],`),
    '  ],',
    '  kinds: [',
    ...kinds.map((k) => `    ${JSON.stringify(k)},`),
    '  ],',
    '};',
    '',
  ];
  return new Map([[outputPath, lines.join('\n')]]);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const shared = resolve(here, '../../../shared/k8s-api-1.36');
  const [openapi = join(shared, 'openapi-v2.json'), fields = join(shared, 'protobuf-fields.json')] = process.argv.slice(2);
  const repoRoot = resolve(here, '../..');
  for (const [path, content] of generate(openapi, fields)) {
    writeFileSync(join(repoRoot, path), content);
    console.log(`wrote ${path} (${content.length} bytes)`);
  }
}
