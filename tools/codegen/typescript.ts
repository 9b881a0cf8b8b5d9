// Renders TypeScript interfaces, one file per package (src/api/generated/<group>/<version>.ts), from the
// normalised definitions. Top-level kinds get literal apiVersion/kind types.
import type { DefinitionSchema, FieldSchema } from '../../src/api/definition.js';
import { generatedHeader } from './emit.js';
import { packageOf, type PackageInfo } from './definitions.js';

/**
 * Definitions whose Go type has a custom JSON form the schema leaves untyped. The value is the
 * TypeScript type, written in terms of names from the same package.
 */
const customJSONTypes: Record<string, string> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'number | string',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': 'JSONSchemaProps | boolean',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': 'JSONSchemaProps | JSONSchemaProps[]',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': 'JSONSchemaProps | string[]',
};

function shortName(definitionName: string): string {
  return definitionName.slice(definitionName.lastIndexOf('.') + 1);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `'${name}'`;
}

class FileWriter {
  readonly imports = new Map<string, PackageInfo>();
  constructor(readonly pkg: PackageInfo) {}

  typeOf(f: FieldSchema): string {
    switch (f.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array': {
        const t = this.typeOf(f.items!);
        return t.includes(' ') ? `Array<${t}>` : `${t}[]`;
      }
      case 'map':
        return `Record<string, ${this.typeOf(f.values!)}>`;
      case 'object':
        return 'Record<string, unknown>';
      case 'any':
        return 'unknown';
      case 'ref': {
        const target = packageOf(f.ref!)!;
        if (target.path === this.pkg.path) return shortName(f.ref!);
        this.imports.set(target.alias, target);
        return `${target.alias}.${shortName(f.ref!)}`;
      }
    }
  }

  definition(d: DefinitionSchema): string {
    const name = shortName(d.name);
    const custom = customJSONTypes[d.name];
    if (custom) return `export type ${name} = ${custom};`;
    if (!d.fields) {
      if (d.type === 'object' || d.type === 'map') return `export type ${name} = ${this.typeOf(d.type === 'map' ? d : { type: 'object' })};`;
      return `export type ${name} = ${this.typeOf(d)};`;
    }
    const gvk = d.gvks?.length === 1 ? d.gvks[0] : undefined;
    const required = new Set(d.required ?? []);
    const lines = [`export interface ${name} {`];
    for (const [field, schema] of Object.entries(d.fields)) {
      let type = this.typeOf(schema);
      if (gvk && field === 'apiVersion') type = `'${gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version}'`;
      if (gvk && field === 'kind') type = `'${gvk.kind}'`;
      lines.push(`  ${propertyKey(field)}${required.has(field) ? '' : '?'}: ${type};`);
    }
    lines.push('}');
    return lines.join('\n');
  }
}

/** One TypeScript module per package: repo-relative path → content. */
export function emitTypeScript(defs: DefinitionSchema[]): Map<string, string> {
  const byPackage = new Map<string, { pkg: PackageInfo; defs: DefinitionSchema[] }>();
  for (const d of defs) {
    const pkg = packageOf(d.name)!;
    let entry = byPackage.get(pkg.path);
    if (!entry) byPackage.set(pkg.path, (entry = { pkg, defs: [] }));
    entry.defs.push(d);
  }
  const files = new Map<string, string>();
  for (const { pkg, defs: pkgDefs } of [...byPackage.values()].sort((a, b) => (a.pkg.path < b.pkg.path ? -1 : 1))) {
    const w = new FileWriter(pkg);
    const body = pkgDefs.map((d) => w.definition(d)).join('\n\n');
    const depth = pkg.path.split('/').length;
    const up = '../'.repeat(depth - 1) || './';
    const imports = [...w.imports.values()]
      .sort((a, b) => (a.alias < b.alias ? -1 : 1))
      .map((p) => `import type * as ${p.alias} from '${up}${p.path}.js';`);
    files.set(
      `src/api/generated/${pkg.path}.ts`,
      [generatedHeader, `// API types of ${pkg.path}.`, ...imports, '', body, ''].join('\n'),
    );
  }
  return files;
}

/**
 * src/api/generated/kinds.ts: the TypeScript type of every top-level kind, by apiVersion and kind, so
 * typed code can go from a GVK to its interface (`KindTypes['apps/v1']['Deployment']`).
 */
export function emitKindIndex(defs: DefinitionSchema[]): string {
  const byAPIVersion = new Map<string, Array<[string, string]>>();
  const imports = new Map<string, PackageInfo>();
  for (const d of defs) {
    if (d.gvks?.length !== 1) continue;
    const gvk = d.gvks[0]!;
    const pkg = packageOf(d.name)!;
    imports.set(pkg.alias, pkg);
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    let kinds = byAPIVersion.get(apiVersion);
    if (!kinds) byAPIVersion.set(apiVersion, (kinds = []));
    kinds.push([gvk.kind, `${pkg.alias}.${shortName(d.name)}`]);
  }
  const lines = [
    generatedHeader,
    '// The interface of every top-level kind, by apiVersion and kind.',
    ...[...imports.values()].sort((a, b) => (a.alias < b.alias ? -1 : 1)).map((p) => `import type * as ${p.alias} from './${p.path}.js';`),
    '',
    'export interface KindTypes {',
  ];
  for (const [apiVersion, kinds] of [...byAPIVersion.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  '${apiVersion}': {`);
    for (const [kind, type] of kinds.sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`    ${kind}: ${type};`);
    lines.push('  };');
  }
  lines.push('}', '');
  return lines.join('\n');
}
