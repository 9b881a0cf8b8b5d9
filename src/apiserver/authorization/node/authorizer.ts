// The Node authorizer (upstream plugin/pkg/auth/authorizer/node): a kubelet (user system:node:<name> in
// group system:nodes) may read only the secrets, configmaps, PVCs, PVs, resource claims and service-account
// tokens of pods bound to its node, and only its own Lease and CSINode; everything else is decided by the
// static system:node rules. Like upstream without AuthorizeNodeWithSelectors, Node and Pod writes are left
// to those rules — the NodeRestriction admission plugin keeps a node to its own Node and pods.

import { systemNodes, type UserInfo } from '../../authentication/interface.js';
import type { Attributes, Authorizer, AuthorizationResult, RuleResolver } from '../interface.js';
import { nodeRules } from '../rbac/bootstrap-policy.js';
import { rulesAllow } from '../rbac/rules.js';
import type { PolicyRule } from '../rbac/types.js';
import type { NodeGraph, VertexType } from './graph.js';

export const nodeUserNamePrefix = 'system:node:';
export const namespaceNodeLease = 'kube-node-lease';

/** upstream NodeIdentity: the node name of a node user (may be ""), or undefined for non-nodes. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.name.startsWith(nodeUserNamePrefix)) return undefined;
  if (!user.groups.includes(systemNodes)) return undefined;
  return user.name.slice(nodeUserNamePrefix.length);
}

const noOpinion = (reason: string): AuthorizationResult => ({ decision: 'noOpinion', reason });
const allow: AuthorizationResult = { decision: 'allow', reason: '' };

export interface NodeAuthorizerOptions {
  graph: NodeGraph;
  /** Rules for what is not subdivided (default: the bootstrap policy's system:node rules). */
  rules?: readonly PolicyRule[];
}

export class NodeAuthorizer implements Authorizer, RuleResolver {
  private readonly graph: NodeGraph;
  private readonly rules: readonly PolicyRule[];

  constructor(opts: NodeAuthorizerOptions) {
    this.graph = opts.graph;
    this.rules = opts.rules ?? nodeRules;
  }

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    return this.authorizeSync(attrs);
  }

  authorizeSync(attrs: Attributes): AuthorizationResult {
    const node = nodeIdentity(attrs.user);
    if (node === undefined) return noOpinion('');
    if (node === '') return noOpinion(`unknown node for user ${JSON.stringify(attrs.user.name)}`);
    if (attrs.isResourceRequest) {
      const gr = `${attrs.apiGroup}/${attrs.resource}`;
      switch (gr) {
        case '/secrets':
          return this.readNamespaced(node, 'secret', attrs);
        case '/configmaps':
          return this.readNamespaced(node, 'configmap', attrs);
        case '/persistentvolumeclaims':
          if (attrs.subresource === 'status') return this.statusUpdate(node, 'pvc', attrs);
          return this.get(node, 'pvc', attrs);
        case '/persistentvolumes':
          return this.get(node, 'pv', attrs);
        case 'resource.k8s.io/resourceclaims':
          return this.get(node, 'resourceclaim', attrs);
        case 'storage.k8s.io/volumeattachments':
          return this.get(node, 'volumeattachment', attrs);
        case '/serviceaccounts':
          return this.createToken(node, attrs);
        case 'coordination.k8s.io/leases':
          return this.lease(node, attrs);
        case 'storage.k8s.io/csinodes':
          return this.csiNode(node, attrs);
      }
    }
    return rulesAllow(attrs, this.rules) ? allow : noOpinion('');
  }

  private related(node: string, type: VertexType, attrs: Attributes): AuthorizationResult {
    if (!attrs.name) return noOpinion('No Object name found');
    if (this.graph.hasPathFrom(node, type, attrs.namespace, attrs.name)) return allow;
    return noOpinion(`no relationship found between node '${node}' and this object`);
  }

  private readNamespaced(node: string, type: VertexType, attrs: Attributes): AuthorizationResult {
    if (attrs.verb !== 'get' && attrs.verb !== 'list' && attrs.verb !== 'watch') return noOpinion('can only read resources of this type');
    if (attrs.subresource) return noOpinion('cannot read subresource');
    if (!attrs.namespace) return noOpinion('can only read namespaced object of this type');
    return this.related(node, type, attrs);
  }

  private get(node: string, type: VertexType, attrs: Attributes): AuthorizationResult {
    if (attrs.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (attrs.subresource) return noOpinion('cannot get subresource');
    return this.related(node, type, attrs);
  }

  private statusUpdate(node: string, type: VertexType, attrs: Attributes): AuthorizationResult {
    if (attrs.verb !== 'update' && attrs.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    if (attrs.subresource !== 'status') return noOpinion('can only update status subresource');
    return this.related(node, type, attrs);
  }

  private createToken(node: string, attrs: Attributes): AuthorizationResult {
    if (attrs.verb !== 'create' || !attrs.name) return noOpinion('can only create tokens for individual service accounts');
    if (attrs.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return this.related(node, 'serviceaccount', attrs);
  }

  private lease(node: string, attrs: Attributes): AuthorizationResult {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
    if (attrs.namespace !== namespaceNodeLease) return noOpinion(`can only access leases in the ${JSON.stringify(namespaceNodeLease)} system namespace`);
    // The name is unknown on create; NodeRestriction admission checks it then.
    if (attrs.verb !== 'create' && attrs.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
    return allow;
  }

  private csiNode(node: string, attrs: Attributes): AuthorizationResult {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) return noOpinion('can only get, create, update, patch, or delete a CSINode');
    if (attrs.verb !== 'create' && attrs.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
    return allow;
  }

  /** Nodes' permissions are not enumerable (they depend on the graph): incomplete, as upstream. */
  async rulesFor(user: UserInfo, _namespace: string): ReturnType<RuleResolver['rulesFor']> {
    if (nodeIdentity(user) !== undefined) {
      return { resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' };
    }
    return { resourceRules: [], nonResourceRules: [], incomplete: false };
  }
}
