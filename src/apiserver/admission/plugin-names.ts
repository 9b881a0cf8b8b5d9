// kube-apiserver's admission plugin names: upstream's order and default set, and the
// --enable/--disable-admission-plugins flags checked and resolved against them.

/** Every plugin name kube-apiserver knows, in the order the chain runs them (upstream AllOrderedPlugins). */
export const allOrderedPlugins: readonly string[] = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PodGroupProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  'PodTopologyLabels',
  'PodGroupWorkloadExists',
  'NodeDeclaredFeatureValidator',
  'JobValidation',
  'PodResizeValidator',
  // Webhooks, policies and quota come last, as upstream requires.
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
];

/** The plugins on when no flag says otherwise (upstream DefaultOffAdmissionPlugins' complement). */
export const defaultOnPlugins: ReadonlySet<string> = new Set([
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'DefaultStorageClass',
  'PersistentVolumeClaimResize',
  'DefaultTolerationSeconds',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'StorageObjectInUseProtection',
  'PodGroupProtection',
  'Priority',
  'TaintNodesByCondition',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodSecurity',
  'PodTopologyLabels',
  'MutatingAdmissionPolicy',
  'ValidatingAdmissionPolicy',
  'PodGroupWorkloadExists',
  'NodeDeclaredFeatureValidator',
  'JobValidation',
  'PodResizeValidator',
]);

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
