// ReplicaSet and ReplicationController differ only in their group and selector type, so one controller
// serves both (as upstream's replication controller wraps the ReplicaSet controller): this is the difference.
import { labelSelectorAsSelector } from '../../../apimachinery/labels/label-selector.js';
import { everything, selectorFromSet, type Selector } from '../../../apimachinery/labels/selector.js';
import type { ReplicaSet } from '../../../api/generated/apps/v1.js';
import type { PodTemplateSpec, ReplicationController } from '../../../api/generated/core/v1.js';
import type { GroupVersionResource, KubeObject } from '../../../client/rest/interface.js';
import { resources } from '../../controller-context.js';
import type { Condition } from '../../conditions.js';

export interface ReplicatedStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

/** A ReplicaSet or a ReplicationController, seen through the fields the controller uses. */
export interface Replicated extends KubeObject {
  spec?: { replicas?: number; minReadySeconds?: number; template?: PodTemplateSpec; selector?: unknown };
  status?: ReplicatedStatus;
}

export interface ReplicatedKind {
  /** Upstream controller name (`--controllers`) and event source component. */
  controllerName: string;
  component: string;
  /** The work queue's name in workqueue_* metrics (upstream's). */
  queueName: string;
  apiVersion: string;
  kind: string;
  gvr: GroupVersionResource;
  /** The pod selector; throws for an invalid one. */
  selectorOf(obj: Replicated): Selector;
}

export const replicaSetKind: ReplicatedKind = {
  controllerName: 'replicaset',
  component: 'replicaset-controller',
  queueName: 'replicaset',
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  gvr: resources.replicaSets,
  selectorOf: (obj) => labelSelectorAsSelector((obj as ReplicaSet).spec?.selector),
};

export const replicationControllerKind: ReplicatedKind = {
  controllerName: 'replicationcontroller',
  component: 'replication-controller',
  queueName: 'replicationmanager',
  apiVersion: 'v1',
  kind: 'ReplicationController',
  gvr: resources.replicationControllers,
  // A ReplicationController selects by equality on a label map; an empty map selects everything, as
  // upstream's conversion to a LabelSelector does.
  selectorOf: (obj) => {
    const sel = (obj as ReplicationController).spec?.selector;
    return sel && Object.keys(sel).length > 0 ? selectorFromSet(sel) : everything();
  },
};
