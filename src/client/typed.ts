// Typed clients: the dynamic client with a generated type as T, found by apiVersion and kind in the
// generated tables, e.g. typedClient(client, 'apps/v1', 'Deployment', 'default').
import type { KindTypes } from '../api/generated/kinds.js';
import { resourceForKind } from '../api/resources.js';
import type { Interface, KubeObject, ResourceInterface } from './rest/interface.js';

/**
 * A generated type as a KubeObject. Generated interfaces have no index signature, so TypeScript does not
 * let them stand where a KubeObject is expected by themselves; the intersection keeps every generated field.
 */
export type Typed<T> = T & KubeObject;

/** The generated type of `kind` in `apiVersion`, e.g. KindOf<'apps/v1', 'Deployment'>. */
export type KindOf<GV extends keyof KindTypes, K extends keyof KindTypes[GV]> = Typed<KindTypes[GV][K]>;

/** Splits "apps/v1" into group and version ("v1" is the core group). */
export function parseAPIVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The client of a built-in kind. Throws for a kind that is not a served resource (List kinds, Scale, …);
 * custom resources use `client.resource()` directly.
 */
export function typedClient<GV extends keyof KindTypes & string, K extends keyof KindTypes[GV] & string>(
  client: Interface,
  apiVersion: GV,
  kind: K,
  namespace = '',
): ResourceInterface<KindOf<GV, K>> {
  const { group, version } = parseAPIVersion(apiVersion);
  const info = resourceForKind(group, version, kind);
  if (!info) throw new Error(`no resource serves kind ${kind} in ${apiVersion}`);
  return client.resource<KindOf<GV, K>>({ group, version, resource: info.plural }, namespace);
}
