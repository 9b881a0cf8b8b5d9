// The API types the deployment controller works on, as KubeObjects (see client/typed.ts).
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Typed } from '../../../client/typed.js';

export type Deployment = Typed<appsv1.Deployment>;
export type DeploymentStatus = appsv1.DeploymentStatus;
export type DeploymentCondition = appsv1.DeploymentCondition;
export type ReplicaSet = Typed<appsv1.ReplicaSet>;
export type Pod = Typed<corev1.Pod>;
