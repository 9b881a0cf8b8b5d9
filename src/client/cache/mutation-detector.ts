// client-go's cache mutation detector, done the JavaScript way: with KUBE_CACHE_MUTATION_DETECTOR=true every
// object entering an informer cache is deep-frozen, so code that changes a cached object throws at once.
import type { KubeObject } from '../rest/interface.js';

/** True when the environment asks for cache mutation detection (off by default: freezing costs time). */
export function mutationDetectionEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.KUBE_CACHE_MUTATION_DETECTOR === 'true';
}

/** Freezes `obj` and everything reachable from it; returns it. */
export function deepFreeze<T>(obj: T): T {
  if (obj === null || typeof obj !== 'object' || Object.isFrozen(obj)) return obj;
  Object.freeze(obj);
  for (const v of Object.values(obj as object)) deepFreeze(v);
  return obj;
}

/** The store `admit` hook for the current environment: deepFreeze when detection is on, else identity. */
export function cacheMutationAdmitter<T extends KubeObject>(enabled = mutationDetectionEnabled()): ((obj: T) => T) | undefined {
  return enabled ? deepFreeze : undefined;
}
