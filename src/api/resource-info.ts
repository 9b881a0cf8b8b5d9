// What the apiserver needs to know about each served resource: names, scope, verbs, subresources.
// The generated table (src/api/generated/resources.ts) provides the facts found in the OpenAPI
// document; src/api/resources.ts adds those that are not there (short names, categories).

export interface SubresourceInfo {
  /** e.g. "status", "scale", "log", "exec", "eviction", "binding". */
  name: string;
  /** Kind of the subresource's body, e.g. "Scale" for deployments/scale. */
  kind: string;
  /** Group and version of that kind when they differ from the parent's (scale → autoscaling/v1). */
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: the URL segment ("deployments"). */
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Discovery verbs in upstream order, e.g. ["create","delete","deletecollection","get","list","patch","update","watch"]. */
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceInfo[];
  /** OpenAPI definition name of the kind, e.g. "io.k8s.api.apps.v1.Deployment". */
  definition: string;
}
