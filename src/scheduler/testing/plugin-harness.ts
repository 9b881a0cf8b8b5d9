// Runs one plugin the way the framework would, for table-driven plugin tests: PreFilter then Filter on a
// node, or PreScore, Score over nodes and NormalizeScore.
import type { Node, Pod } from '../../api/generated/core/v1.js';
import { Snapshot } from '../cache/snapshot.js';
import { CycleState } from '../framework/cycle-state.js';
import type { FilterPlugin, Handle, NodeScore, Plugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface.js';
import { newNodeInfo, type NodeInfo } from '../framework/node-info.js';
import { Status } from '../framework/status.js';
import { realClock } from '../../base/clock.js';

/** PreFilter (if the plugin has it) then Filter. A PreFilter Skip means the filter passes (null). */
export function runFilter(pl: Plugin, pod: Pod, nodeInfo: NodeInfo): Status | null {
  const state = new CycleState();
  const pf = pl as Partial<PreFilterPlugin>;
  if (pf.preFilter) {
    const r = pf.preFilter(state, pod, [nodeInfo]);
    if (r.status?.isSkip()) return null;
    if (r.status) return r.status;
  }
  return (pl as FilterPlugin).filter(state, pod, nodeInfo);
}

/** PreScore, Score and NormalizeScore over `nodes`; the final scores by node name. */
export function runScore(pl: Plugin, pod: Pod, nodes: NodeInfo[]): NodeScore[] | Status {
  const state = new CycleState();
  const ps = pl as Partial<PreScorePlugin>;
  if (ps.preScore) {
    const s = ps.preScore(state, pod, nodes);
    if (s?.isSkip()) return nodes.map((n) => ({ name: n.name(), score: 0 }));
    if (s) return s;
  }
  const sp = pl as ScorePlugin;
  const scores: NodeScore[] = [];
  for (const n of nodes) {
    const r = sp.score(state, pod, n);
    if (r instanceof Status) return r;
    scores.push({ name: n.name(), score: r });
  }
  const s = sp.scoreExtensions?.()?.normalizeScore(state, pod, scores);
  if (s) return s;
  return scores;
}

/** A Handle over a snapshot of `nodes` (with `pods` placed by spec.nodeName), no client. */
export function fakeHandle(nodes: Node[], pods: Pod[] = []): { handle: Handle; nodeInfos: NodeInfo[] } {
  const snapshot = new Snapshot();
  const nodeInfos = nodes.map((n) => newNodeInfo(n, ...pods.filter((p) => p.spec?.nodeName === n.metadata?.name)));
  for (const ni of nodeInfos) {
    snapshot.nodeInfoMap.set(ni.name(), ni);
    snapshot.index.set(ni.name(), snapshot.nodeInfoList.length);
    snapshot.nodeInfoList.push(ni);
  }
  const handle: Handle = {
    snapshotSharedLister: () => snapshot,
    clientSet: () => undefined,
    clock: () => realClock,
    nominator: () => undefined,
    profileName: () => 'default-scheduler',
    runFilterPluginsWithNominatedPods: () => null,
  };
  return { handle, nodeInfos };
}
