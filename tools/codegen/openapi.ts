// The part of the Kubernetes OpenAPI v2 document that the generators read, and how to load it.
// Only structure is used: description texts are never copied into generated output.
import { readFileSync } from 'node:fs';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** A schema object as it appears under `definitions` or inline in a property. */
export interface SchemaObject {
  type?: string;
  format?: string;
  $ref?: string;
  items?: SchemaObject;
  additionalProperties?: SchemaObject | boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  enum?: unknown[];
  allOf?: SchemaObject[];
  description?: string;
  [extension: `x-${string}`]: unknown;
}

export interface Operation {
  operationId?: string;
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: GroupVersionKind;
}

/** Path item: operations by lower-case HTTP method, plus shared parameters. */
export type PathItem = Partial<Record<HttpMethod, Operation>> & { parameters?: unknown[] };

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';
export const httpMethods: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

export interface OpenAPIDocument {
  paths: Record<string, PathItem>;
  definitions: Record<string, SchemaObject>;
}

export function loadOpenAPI(path: string): OpenAPIDocument {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as OpenAPIDocument;
  if (!doc.paths || !doc.definitions) throw new Error(`${path}: not an OpenAPI v2 document (no paths/definitions)`);
  return doc;
}

/** The GVKs a definition declares through `x-kubernetes-group-version-kind` (empty when none). */
export function gvksOf(schema: SchemaObject): GroupVersionKind[] {
  const v = schema['x-kubernetes-group-version-kind'];
  return Array.isArray(v) ? (v as GroupVersionKind[]) : [];
}

/** GA versions are "v" followed by digits only (v1, v2); alpha and beta versions are not served by default. */
export function isGAVersion(version: string): boolean {
  return /^v\d+$/.test(version);
}
