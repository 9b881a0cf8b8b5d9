// The autoscaling/v1 Scale of a custom resource, read and written at the CRD's scale paths
// (specReplicasPath, statusReplicasPath, labelSelectorPath: simple JSON paths such as ".spec.replicas").

import type { APIObject, ResourceStrategy } from '../registry/strategy.js';

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter((s) => s !== '');
}

function read(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const s of segments(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function write(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = segments(path);
  let cur = obj;
  for (const s of segs.slice(0, -1)) {
    const next = cur[s];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1] as string] = value;
}

/** The `scale` strategy hooks of a CRD version's scale subresource. */
export function customResourceScale(paths: ScalePaths): NonNullable<ResourceStrategy['scale']> {
  return {
    toScale(obj: APIObject, namespaced: boolean): APIObject {
      const meta = obj.metadata ?? {};
      const spec = read(obj, paths.specReplicasPath);
      const status = read(obj, paths.statusReplicasPath);
      const selector = paths.labelSelectorPath ? read(obj, paths.labelSelectorPath) : undefined;
      const scale: APIObject = {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
        spec: { replicas: typeof spec === 'number' ? spec : 0 },
        status: { replicas: typeof status === 'number' ? status : 0, selector: typeof selector === 'string' ? selector : '' },
      };
      if (!namespaced && scale.metadata) delete scale.metadata.namespace;
      return scale;
    },
    setReplicas(obj: APIObject, replicas: number): void {
      write(obj, paths.specReplicasPath, replicas);
    },
  };
}
