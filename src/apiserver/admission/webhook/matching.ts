// Which webhooks a write goes to (upstream webhook/predicates and generic/webhook.go ShouldCallHook): the
// rules (operations, groups, versions, resources/subresources, scope), the namespace and object selectors.

import type * as admissionregistrationv1 from '../../../api/generated/admissionregistration/v1.js';
import { labelSelectorAsSelector, type LabelSelector } from '../../../apimachinery/labels/label-selector.js';
import type { Selector } from '../../../apimachinery/labels/selector.js';
import type { AdmissionAttributes } from '../interface.js';
import type { ObjectReader } from '../object-reader.js';

/** The fields the mutating and validating webhook types share. */
export type Webhook = admissionregistrationv1.MutatingWebhook | admissionregistrationv1.ValidatingWebhook;

/** "pods/status" → ["pods", "status"]; "pods" → ["pods", ""]. */
function splitResource(r: string): [string, string] {
  const i = r.indexOf('/');
  return i < 0 ? [r, ''] : [r.slice(0, i), r.slice(i + 1)];
}

const matchesList = (list: readonly string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

/** The selectors webhooks and admission policies share. */
export interface Selectors {
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
}

/** Whether one rule covers the write (upstream rules.Matcher); policies' rules may also name resourceNames. */
export function ruleMatches(rule: admissionregistrationv1.RuleWithOperations & { resourceNames?: string[] }, attrs: AdmissionAttributes): boolean {
  if (rule.resourceNames?.length && !rule.resourceNames.includes(attrs.name)) return false;
  if (!matchesList(rule.operations, attrs.operation)) return false;
  if (!matchesList(rule.apiGroups, attrs.resource.group)) return false;
  if (!matchesList(rule.apiVersions, attrs.resource.version)) return false;
  const resourceOK = (rule.resources ?? []).some((entry) => {
    const [res, sub] = splitResource(entry);
    return (res === '*' || res === attrs.resource.resource) && (sub === '*' || sub === attrs.subresource);
  });
  if (!resourceOK) return false;
  const isNamespace = attrs.resource.group === '' && attrs.resource.resource === 'namespaces';
  switch (rule.scope ?? '*') {
    case 'Namespaced':
      return !isNamespace && attrs.namespace !== '';
    case 'Cluster':
      return isNamespace || attrs.namespace === '';
    default:
      return true;
  }
}

/**
 * Admission of the webhook and policy configuration objects themselves never goes to webhooks, so a broken
 * webhook cannot lock out its own repair (upstream IsExemptAdmissionConfigurationResource).
 */
export function isExemptAdmissionConfigurationResource(attrs: AdmissionAttributes): boolean {
  if (attrs.resource.group !== 'admissionregistration.k8s.io') return false;
  return /^(validatingwebhookconfigurations|mutatingwebhookconfigurations|validatingadmissionpolicies|validatingadmissionpolicybindings|mutatingadmissionpolicies|mutatingadmissionpolicybindings)$/.test(attrs.resource.resource);
}

/** Label selectors are compiled once per configuration version; cache by object identity. */
const compiled = new WeakMap<LabelSelector, Selector>();
function compile(sel: LabelSelector): Selector {
  let s = compiled.get(sel);
  if (!s) {
    s = labelSelectorAsSelector(sel);
    compiled.set(sel, s);
  }
  return s;
}

const isEmptySelector = (sel: LabelSelector | undefined) => !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && !sel.matchExpressions?.length);

/**
 * The namespace selector (upstream predicates/namespace): cluster-scoped objects other than namespaces always
 * match; a Namespace is matched on its own labels; anything else on its namespace's labels.
 */
export async function namespaceSelectorMatches(hook: Selectors, attrs: AdmissionAttributes, reader: ObjectReader): Promise<boolean> {
  if (isEmptySelector(hook.namespaceSelector)) return true;
  const isNamespace = attrs.resource.group === '' && attrs.resource.resource === 'namespaces';
  if (!isNamespace && attrs.namespace === '') return true;
  let labels: Record<string, string> | undefined;
  if (isNamespace) {
    labels = (attrs.object ?? attrs.oldObject)?.metadata?.labels;
  } else {
    const ns = await reader.get({ group: '', resource: 'namespaces' }, '', attrs.namespace);
    // The namespace is gone (or not created yet): only its well-known name label is certain.
    labels = ns?.metadata?.labels ?? { 'kubernetes.io/metadata.name': attrs.namespace };
  }
  return compile(hook.namespaceSelector!).matches(labels ?? {});
}

/** The object selector (upstream predicates/object): the new object's or the old object's labels match. */
export function objectSelectorMatches(hook: Selectors, attrs: AdmissionAttributes): boolean {
  if (isEmptySelector(hook.objectSelector)) return true;
  const sel = compile(hook.objectSelector!);
  const matches = (o: typeof attrs.object) => !!o && sel.matches(o.metadata?.labels ?? {});
  return matches(attrs.object) || matches(attrs.oldObject);
}

/**
 * Whether `hook` applies to the write. matchPolicy Equivalent (the default) also accepts a rule naming
 * another version of the same group/resource: k8ts serves each resource in one version, so the object is
 * sent as requested (upstream would convert it to the rule's version).
 */
export async function shouldCallHook(hook: Webhook, attrs: AdmissionAttributes, reader: ObjectReader): Promise<boolean> {
  const rules = hook.rules ?? [];
  let matched = rules.some((r) => ruleMatches(r, attrs));
  if (!matched && (hook.matchPolicy ?? 'Equivalent') === 'Equivalent') {
    matched = rules.some((r) => ruleMatches({ ...r, apiVersions: ['*'] }, attrs));
  }
  if (!matched) return false;
  if (!objectSelectorMatches(hook, attrs)) return false;
  return namespaceSelectorMatches(hook, attrs, reader);
}
