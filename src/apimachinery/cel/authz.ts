// The Kubernetes CEL authorizer library (upstream k8s.io/apiserver/pkg/cel/library/authz.go), which admission
// policies reach through the `authorizer` variable:
//   authorizer.group('apps').resource('deployments').namespace('prod').name('web').check('delete').allowed()
//   authorizer.path('/healthz').check('get').reason()
//   authorizer.serviceAccount('ns', 'sa').group('').resource('pods').check('list').errored()
//   authorizer.requestResource.check('approve').allowed()
// CEL evaluates synchronously and authorizers answer asynchronously, so `check` asks a `decide` callback for a
// decision it already knows; when it does not, evaluation stops with AuthorizationNeeded, the caller authorizes
// those attributes and evaluates again (decisions are remembered, so each question is asked once).

import { CELEvalError, noOverload } from './values.js';

/** The user a check is made for (upstream user.Info). */
export interface AuthzUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** What one `check` asks (upstream authorizer.AttributesRecord). */
export interface AuthzAttributes {
  user: AuthzUser;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  fieldSelector?: string;
  labelSelector?: string;
}

export interface AuthzDecision {
  decision: 'allow' | 'deny' | 'noOpinion';
  reason: string;
  /** Set when the authorizer failed (Decision.errored()). */
  error?: string;
}

/** Evaluation needs this decision first: authorize `attrs`, remember the answer, evaluate again. */
export class AuthorizationNeeded extends Error {
  constructor(readonly attrs: AuthzAttributes) {
    super('authorization decision needed');
  }
}

/** A stable key of one check, to remember its decision. */
export function authzKey(attrs: AuthzAttributes): string {
  return JSON.stringify([attrs.user.username, attrs.user.uid ?? '', attrs.user.groups ?? [], attrs.user.extra ?? {}, attrs.verb, attrs.isResourceRequest, attrs.path, attrs.apiGroup, attrs.resource, attrs.subresource, attrs.namespace, attrs.name, attrs.fieldSelector ?? '', attrs.labelSelector ?? '']);
}

/** The request's own resource, for `authorizer.requestResource`. */
export interface RequestResource {
  group: string;
  /** Informational: checks ask for every version ("*"), as upstream's do. */
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export class CELAuthorizer {
  readonly celType = 'kubernetes.authorization.Authorizer';
  constructor(
    readonly user: AuthzUser,
    /** The remembered decision, or a thrown AuthorizationNeeded. */
    readonly decide: (attrs: AuthzAttributes) => AuthzDecision,
    readonly request?: RequestResource,
  ) {}

  /** `authorizer.requestResource`: a resource check preset to the request's resource. */
  celSelect(field: string): unknown {
    if (field === 'requestResource' && this.request) {
      const r = this.request;
      return new CELResourceCheck(this, r.group, r.resource, r.subresource, r.namespace, r.name);
    }
    throw new CELEvalError(`no such key: ${field}`);
  }
}

export class CELPathCheck {
  readonly celType = 'kubernetes.authorization.PathCheck';
  constructor(
    readonly authz: CELAuthorizer,
    readonly path: string,
  ) {}
}

export class CELGroupCheck {
  readonly celType = 'kubernetes.authorization.GroupCheck';
  constructor(
    readonly authz: CELAuthorizer,
    readonly group: string,
  ) {}
}

export class CELResourceCheck {
  readonly celType = 'kubernetes.authorization.ResourceCheck';
  constructor(
    readonly authz: CELAuthorizer,
    readonly group: string,
    readonly resource: string,
    readonly subresource = '',
    readonly namespace = '',
    readonly name = '',
    readonly version = '*',
    readonly fieldSelector = '',
    readonly labelSelector = '',
  ) {}

  with(change: Partial<Pick<CELResourceCheck, 'subresource' | 'namespace' | 'name' | 'fieldSelector' | 'labelSelector'>>): CELResourceCheck {
    const c = { ...this, ...change };
    return new CELResourceCheck(this.authz, c.group, c.resource, c.subresource, c.namespace, c.name, c.version, c.fieldSelector, c.labelSelector);
  }
}

export class CELDecision {
  readonly celType = 'kubernetes.authorization.Decision';
  constructor(readonly d: AuthzDecision) {}
}

/** A Call of the library (library.ts's shape, repeated to keep this file free of it). */
interface AuthzCall {
  fn: string;
  recv?: unknown;
  hasReceiver: boolean;
  args: unknown[];
}

const strArg = (c: AuthzCall, i: number): string => {
  const v = c.args[i];
  if (typeof v !== 'string') throw noOverload(c.fn, ...(c.hasReceiver ? [c.recv] : []), ...c.args);
  return v;
};

function recv<T>(c: AuthzCall, type: new (...a: never[]) => T): T {
  if (!(c.recv instanceof type)) throw noOverload(c.fn, ...(c.hasReceiver ? [c.recv] : []), ...c.args);
  return c.recv;
}

function decisionOf(c: AuthzCall): AuthzDecision {
  return recv(c, CELDecision).d;
}

/** The library's functions by name, merged into library.ts's table. */
export const authzFunctions: Record<string, (c: AuthzCall) => unknown> = {
  path: (c) => new CELPathCheck(recv(c, CELAuthorizer), strArg(c, 0)),
  group: (c) => new CELGroupCheck(recv(c, CELAuthorizer), strArg(c, 0)),
  serviceAccount: (c) => {
    const a = recv(c, CELAuthorizer);
    const namespace = strArg(c, 0);
    const name = strArg(c, 1);
    // upstream serviceaccount.MakeUsername and MakeGroupNames.
    return new CELAuthorizer({ username: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`] }, a.decide, a.request);
  },
  resource: (c) => {
    const g = recv(c, CELGroupCheck);
    return new CELResourceCheck(g.authz, g.group, strArg(c, 0));
  },
  subresource: (c) => recv(c, CELResourceCheck).with({ subresource: strArg(c, 0) }),
  namespace: (c) => recv(c, CELResourceCheck).with({ namespace: strArg(c, 0) }),
  name: (c) => recv(c, CELResourceCheck).with({ name: strArg(c, 0) }),
  fieldSelector: (c) => recv(c, CELResourceCheck).with({ fieldSelector: strArg(c, 0) }),
  labelSelector: (c) => recv(c, CELResourceCheck).with({ labelSelector: strArg(c, 0) }),
  check: (c) => {
    const verb = strArg(c, 0);
    const blank = { apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path: '' };
    if (c.recv instanceof CELPathCheck) {
      const p = c.recv;
      return new CELDecision(p.authz.decide({ ...blank, user: p.authz.user, verb: verb.toLowerCase(), isResourceRequest: false, path: p.path }));
    }
    const r = recv(c, CELResourceCheck);
    const attrs: AuthzAttributes = {
      ...blank,
      user: r.authz.user,
      verb,
      isResourceRequest: true,
      apiGroup: r.group,
      apiVersion: r.version,
      resource: r.resource,
      subresource: r.subresource,
      namespace: r.namespace,
      name: r.name,
    };
    if (r.fieldSelector) attrs.fieldSelector = r.fieldSelector;
    if (r.labelSelector) attrs.labelSelector = r.labelSelector;
    return new CELDecision(r.authz.decide(attrs));
  },
  allowed: (c) => decisionOf(c).decision === 'allow',
  reason: (c) => decisionOf(c).reason,
  errored: (c) => decisionOf(c).error !== undefined,
  error: (c) => decisionOf(c).error ?? '',
};
