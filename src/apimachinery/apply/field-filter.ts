// What a strategy's reset fields do to the ownership a write records (upstream fieldpath.Filter from
// GetResetFieldsFilter): either some fields are taken out (status on the main resource, spec on /status), or only
// some are kept (pods/ephemeralcontainers keeps spec.ephemeralContainers, pods/resize the containers' resources).
import { FieldSet } from './field-set.js';
import type { PathElement } from './path-element.js';

/** Narrows a set of owned fields to those a write through one (sub)resource may own. */
export interface FieldFilter {
  filter(set: FieldSet): FieldSet;
}

/** Removes `reset` (and everything under its paths) from a set. */
export function excludeFields(reset: FieldSet): FieldFilter {
  return { filter: (set) => (reset.isEmpty() ? set : set.recursiveDifference(reset)) };
}

/** Matches any one path element in an includeOnly prefix (upstream MatchAnyPathElement). */
export const anyElement = Symbol('any path element');

/** A path prefix of field names and anyElement wildcards, e.g. ['spec', 'containers', anyElement, 'resources']. */
export type PathPrefix = ReadonlyArray<string | typeof anyElement>;

function matchesPrefix(path: readonly PathElement[], prefix: PathPrefix): boolean {
  if (path.length < prefix.length) return false;
  return prefix.every((want, i) => want === anyElement || (path[i].kind === 'field' && path[i].name === want));
}

/** Keeps only paths at or under one of `prefixes` (upstream NewIncludeMatcherFilter with prefix matchers). */
export function includeOnly(prefixes: readonly PathPrefix[]): FieldFilter {
  return {
    filter(set) {
      const out = new FieldSet();
      for (const path of set.paths()) if (prefixes.some((p) => matchesPrefix(path, p))) out.insert(path);
      return out;
    },
  };
}
