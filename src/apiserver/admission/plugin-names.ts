// kube-apiserver's admission plugin names: upstream's order and default set, and the
// --enable/--disable-admission-plugins flags checked and resolved against them.

/** Every plugin kube-apiserver knows, in the order the chain runs them (upstream AllOrderedPlugins), and whether it is on by default. */
const orderedPlugins: ReadonlyArray<readonly [name: string, defaultOn: boolean]> = [
  ['AlwaysAdmit', false],
  ['NamespaceAutoProvision', false],
  ['NamespaceLifecycle', true],
  ['NamespaceExists', false],
  ['LimitPodHardAntiAffinityTopology', false],
  ['LimitRanger', true],
  ['ServiceAccount', true],
  ['NodeRestriction', false],
  ['TaintNodesByCondition', true],
  ['AlwaysPullImages', false],
  ['ImagePolicyWebhook', false],
  ['PodSecurity', true],
  ['PodNodeSelector', false],
  ['Priority', true],
  ['DefaultTolerationSeconds', true],
  ['PodTolerationRestriction', false],
  ['EventRateLimit', false],
  ['ExtendedResourceToleration', false],
  ['DefaultStorageClass', true],
  ['StorageObjectInUseProtection', true],
  ['PodGroupProtection', true],
  ['OwnerReferencesPermissionEnforcement', false],
  ['PersistentVolumeClaimResize', true],
  ['RuntimeClass', true],
  ['CertificateApproval', true],
  ['CertificateSigning', true],
  ['ClusterTrustBundleAttest', true],
  ['CertificateSubjectRestriction', true],
  ['DefaultIngressClass', true],
  ['DenyServiceExternalIPs', false],
  ['PodTopologyLabels', true],
  ['PodGroupWorkloadExists', true],
  ['NodeDeclaredFeatureValidator', true],
  ['JobValidation', true],
  ['PodResizeValidator', true],
  // Policies, webhooks and quota come last, as upstream requires.
  ['MutatingAdmissionPolicy', true],
  ['MutatingAdmissionWebhook', true],
  ['ValidatingAdmissionPolicy', true],
  ['ValidatingAdmissionWebhook', true],
  ['ResourceQuota', true],
  ['AlwaysDeny', false],
];

export const allOrderedPlugins: readonly string[] = orderedPlugins.map(([name]) => name);

/** The plugins on when no flag says otherwise (upstream DefaultOffAdmissionPlugins' complement). */
export const defaultOnPlugins: ReadonlySet<string> = new Set(orderedPlugins.filter(([, on]) => on).map(([name]) => name));

/** The flags' problems in upstream's words (AdmissionOptions.Validate); empty when they are usable. */
export function validateAdmissionFlags(flags: { enable?: readonly string[]; disable?: readonly string[] }): string[] {
  const known = new Set(allOrderedPlugins);
  const errs: string[] = [];
  for (const name of flags.enable ?? []) if (!known.has(name)) errs.push(`enable-admission-plugins plugin "${name}" is unknown`);
  for (const name of flags.disable ?? []) if (!known.has(name)) errs.push(`disable-admission-plugins plugin "${name}" is unknown`);
  const disabled = new Set(flags.disable ?? []);
  const both = [...new Set(flags.enable ?? [])].filter((n) => disabled.has(n)).sort();
  if (both.length) errs.push(`[${both.join(' ')}] in enable-admission-plugins and disable-admission-plugins overlapped`);
  return errs;
}

/** The enabled plugin names in chain order: the defaults plus --enable, minus --disable (enable wins over default-off only). */
export function enabledPluginNames(flags: { enable?: readonly string[]; disable?: readonly string[] }): string[] {
  const enabled = new Set(flags.enable ?? []);
  const disabled = new Set(flags.disable ?? []);
  return allOrderedPlugins.filter((name) => enabled.has(name) || (defaultOnPlugins.has(name) && !disabled.has(name)));
}
