// Score normalization shared by plugins (upstream helper.DefaultNormalizeScore): scale the highest raw
// score to `maxPriority`, optionally reversed so that fewer "bad" things score higher.
import type { CycleState } from './cycle-state.js';
import { MaxNodeScore, type NodeScore, type ScoreExtensions } from './interface.js';
import type { Status } from './status.js';

/**
 * Rescales `scores` in place so the maximum becomes `maxPriority` (integer division, as upstream). With
 * `reverse`, each score becomes maxPriority − score. All-zero scores become 0, or maxPriority when reversed.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((maxPriority * s.score) / max);
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
}

/** ScoreExtensions that apply defaultNormalizeScore(MaxNodeScore, reverse). */
export function defaultNormalizer(reverse: boolean): ScoreExtensions {
  return {
    normalizeScore(_state: CycleState, _pod: unknown, scores: NodeScore[]): Status | null {
      defaultNormalizeScore(MaxNodeScore, reverse, scores);
      return null;
    },
  };
}
