// The in-tree plugin registry: name → factory, one explicit list (upstream plugins.NewInTreeRegistry).
// A new plugin is a folder under plugins/ plus one line here.
import type { PluginFactory, Registry } from '../framework/interface.js';
import { newDefaultBinder } from './defaultbinder/default-binder.js';
import { newDefaultPreemption } from './defaultpreemption/default-preemption.js';
import { newImageLocality } from './imagelocality/image-locality.js';
import * as names from './names.js';
import { newInterPodAffinity } from './interpodaffinity/inter-pod-affinity.js';
import { newNodeAffinity } from './nodeaffinity/node-affinity.js';
import { newNodeName } from './nodename/node-name.js';
import { newNodePorts } from './nodeports/node-ports.js';
import { newBalancedAllocation } from './noderesources/balanced-allocation.js';
import { newFit } from './noderesources/fit.js';
import { newNodeVolumeLimits } from './nodevolumelimits/csi-limits.js';
import { newNodeUnschedulable } from './nodeunschedulable/node-unschedulable.js';
import { newPodTopologySpread } from './podtopologyspread/pod-topology-spread.js';
import { newPrioritySort } from './prioritysort/priority-sort.js';
import { newSchedulingGates } from './schedulinggates/scheduling-gates.js';
import { newTaintToleration } from './tainttoleration/taint-toleration.js';
import { newVolumeBinding } from './volumebinding/volume-binding.js';
import { newVolumeRestrictions } from './volumerestrictions/volume-restrictions.js';
import { newVolumeZone } from './volumezone/volume-zone.js';

export function newInTreeRegistry(): Registry {
  return new Map<string, PluginFactory>([
    [names.SchedulingGates, newSchedulingGates],
    [names.PrioritySort, newPrioritySort],
    [names.NodeUnschedulable, newNodeUnschedulable],
    [names.NodeName, newNodeName],
    [names.TaintToleration, newTaintToleration],
    [names.NodeAffinity, newNodeAffinity],
    [names.NodePorts, newNodePorts],
    [names.NodeResourcesFit, newFit],
    [names.VolumeRestrictions, newVolumeRestrictions],
    [names.NodeVolumeLimits, newNodeVolumeLimits],
    [names.VolumeBinding, newVolumeBinding],
    [names.VolumeZone, newVolumeZone],
    [names.PodTopologySpread, newPodTopologySpread],
    [names.InterPodAffinity, newInterPodAffinity],
    [names.DefaultPreemption, newDefaultPreemption],
    [names.NodeResourcesBalancedAllocation, newBalancedAllocation],
    [names.ImageLocality, newImageLocality],
    [names.DefaultBinder, newDefaultBinder],
  ]);
}
