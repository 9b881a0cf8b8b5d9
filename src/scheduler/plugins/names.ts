// The in-tree plugin names, spelled as upstream's plugins/names package.
export const PrioritySort = 'PrioritySort';
export const SchedulingGates = 'SchedulingGates';
export const NodeUnschedulable = 'NodeUnschedulable';
export const NodeName = 'NodeName';
export const TaintToleration = 'TaintToleration';
export const NodeAffinity = 'NodeAffinity';
export const NodePorts = 'NodePorts';
export const NodeResourcesFit = 'NodeResourcesFit';
export const NodeResourcesBalancedAllocation = 'NodeResourcesBalancedAllocation';
export const ImageLocality = 'ImageLocality';
export const DefaultBinder = 'DefaultBinder';
