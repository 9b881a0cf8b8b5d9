// ImageLocality: prefer nodes that already hold the pod's images, by image size scaled by how widely the
// image is spread (so that one node holding a popular image does not attract every pod).
import type { Pod } from '../../../api/generated/core/v1.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { MaxNodeScore, type Handle, type Plugin, type PreScorePlugin, type ScorePlugin } from '../../framework/interface.js';
import type { ImageStateSummary, NodeInfo } from '../../framework/node-info.js';
import type { Status } from '../../framework/status.js';
import { ImageLocality as Name } from '../names.js';

const mb = 1024 * 1024;
/** Below this total, image locality says nothing. */
export const minThreshold = 23 * mb;
/** Per container, above this it cannot score higher. */
export const maxContainerThreshold = 1000 * mb;

const preScoreStateKey = `PreScore${Name}`;

/** The pod's normalized image names and the cluster size, computed once per cycle. */
class PreScoreState implements StateData {
  constructor(
    readonly images: string[],
    readonly totalNumNodes: number,
  ) {}
  clone(): StateData {
    return this;
  }
}

/** `name:latest` for an image without a tag (upstream normalizedImageName). */
export function normalizedImageName(name: string): string {
  if (name.lastIndexOf(':') <= name.lastIndexOf('/')) return `${name}:latest`;
  return name;
}

/** Size × (nodes holding it / all nodes). */
export function scaledImageScore(state: ImageStateSummary, totalNumNodes: number): number {
  return Math.trunc(state.size * (state.numNodes / totalNumNodes));
}

export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = maxContainerThreshold * numContainers;
  let s = sumScores;
  if (s < minThreshold) s = minThreshold;
  else if (s > maxThreshold) s = maxThreshold;
  return Math.trunc((MaxNodeScore * (s - minThreshold)) / (maxThreshold - minThreshold));
}

function podImages(pod: Pod): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? ''));
}

export class ImageLocalityPlugin implements PreScorePlugin, ScorePlugin {
  readonly name = Name;

  constructor(private readonly handle: Handle) {}

  preScore(state: CycleState, pod: Pod): Status | null {
    state.write(preScoreStateKey, new PreScoreState(podImages(pod), this.handle.snapshotSharedLister().list().length));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(preScoreStateKey) ?? new PreScoreState(podImages(pod), this.handle.snapshotSharedLister().list().length);
    let sum = 0;
    if (nodeInfo.imageStates.size > 0) {
      for (const image of s.images) {
        const st = nodeInfo.imageStates.get(image);
        if (st) sum += scaledImageScore(st, s.totalNumNodes);
      }
    }
    return calculatePriority(sum, s.images.length);
  }
}

export function newImageLocality(_args: unknown, handle: Handle): Plugin {
  return new ImageLocalityPlugin(handle);
}
