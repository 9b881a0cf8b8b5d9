// The admission plugins k8ts implements, by upstream name: one explicit list, assembled here. The chain
// (chain.ts) orders them; names kube-apiserver knows that are missing here are accepted but admit everything.

import type { SecurityContext } from '../security-context.js';
import type { AdmissionPlugin } from './interface.js';
import { registryReader } from './object-reader.js';
import { newAuthorizer } from '../authorization/modes.js';
import { newAlwaysAdmit, newAlwaysDeny } from './plugins/always.js';
import { newAlwaysPullImages } from './plugins/always-pull-images.js';
import { newDenyServiceExternalIPs } from './plugins/deny-service-external-ips.js';
import { newEventRateLimit, type EventRateLimitSpec } from './plugins/event-rate-limit.js';
import { newExtendedResourceToleration } from './plugins/extended-resource-toleration.js';
import { newImagePolicyWebhook, readImagePolicyBackend, type ImagePolicyWebhookConfig } from './plugins/image-policy-webhook.js';
import { newNamespaceAutoProvision } from './plugins/namespace-auto-provision.js';
import { newPersistentVolumeClaimResize } from './plugins/persistent-volume-claim-resize.js';
import { newOwnerReferencesPermissionEnforcement } from './plugins/owner-references-permission-enforcement.js';
import { newLimitPodHardAntiAffinityTopology } from './plugins/limit-pod-hard-anti-affinity-topology.js';
import { newPodNodeSelector, type PodNodeSelectorConfig } from './plugins/pod-node-selector.js';
import { newPodTolerationRestriction, type PodTolerationRestrictionConfig } from './plugins/pod-toleration-restriction.js';
import { newCertificateApproval } from './plugins/certificate-approval.js';
import { newCertificateSigning } from './plugins/certificate-signing.js';
import { newCertificateSubjectRestriction } from './plugins/certificate-subject-restriction.js';
import { newDefaultIngressClass } from './plugins/default-ingress-class.js';
import { newDefaultStorageClass } from './plugins/default-storage-class.js';
import { newDefaultTolerationSeconds } from './plugins/default-toleration-seconds.js';
import { newStorageObjectInUseProtection } from './plugins/storage-object-in-use-protection.js';
import { newLimitRanger } from './plugins/limit-ranger.js';
import { newNamespaceLifecycle } from './plugins/namespace-lifecycle.js';
import { newNodeRestriction } from './plugins/node-restriction.js';
import { newPodSecurity, type PodSecurityConfiguration } from './plugins/pod-security.js';
import { readAdmissionConfiguration } from './admission-config.js';
import { newPriority } from './plugins/priority.js';
import { newResourceQuota } from './plugins/resource-quota.js';
import { newRuntimeClass } from './plugins/runtime-class.js';
import { newServiceAccount } from './plugins/service-account.js';
import { newTaintNodesByCondition } from './plugins/taint-nodes-by-condition.js';
import { newMutatingAdmissionPolicy } from './policy/mutating-admission-policy.js';
import { newValidatingAdmissionPolicy } from './policy/validating-admission-policy.js';
import { WebhookDispatcher } from './webhook/dispatch.js';
import { newMutatingAdmissionWebhook } from './webhook/mutating.js';
import { WebhookSource } from './webhook/source.js';
import { newValidatingAdmissionWebhook } from './webhook/validating.js';

export type AdmissionPluginFactory = (ctx: SecurityContext) => AdmissionPlugin | Promise<AdmissionPlugin>;

export const admissionPluginFactories: ReadonlyMap<string, AdmissionPluginFactory> = new Map<string, AdmissionPluginFactory>([
  ['AlwaysAdmit', () => newAlwaysAdmit()],
  ['NamespaceAutoProvision', (ctx) => newNamespaceAutoProvision({ reader: registryReader(ctx.registries), registries: ctx.registries })],
  ['NamespaceLifecycle', () => newNamespaceLifecycle()],
  ['LimitPodHardAntiAffinityTopology', () => newLimitPodHardAntiAffinityTopology()],
  ['LimitRanger', (ctx) => newLimitRanger({ reader: registryReader(ctx.registries) })],
  ['ServiceAccount', (ctx) => newServiceAccount({ reader: registryReader(ctx.registries) })],
  ['NodeRestriction', (ctx) => newNodeRestriction({ reader: registryReader(ctx.registries) })],
  ['TaintNodesByCondition', () => newTaintNodesByCondition()],
  ['AlwaysPullImages', () => newAlwaysPullImages()],
  [
    'ImagePolicyWebhook',
    async (ctx) => {
      const config = (await readAdmissionConfiguration(ctx.options.admissionControlConfigFile)).get('ImagePolicyWebhook') as { imagePolicy?: ImagePolicyWebhookConfig } | undefined;
      if (!config?.imagePolicy?.kubeConfigFile) throw new Error('ImagePolicyWebhook: imagePolicy.kubeConfigFile is required in --admission-control-config-file');
      return newImagePolicyWebhook({ config: config.imagePolicy, backend: readImagePolicyBackend(config.imagePolicy.kubeConfigFile), signal: ctx.signal });
    },
  ],
  [
    'PodSecurity',
    async (ctx) => {
      const config = (await readAdmissionConfiguration(ctx.options.admissionControlConfigFile)).get('PodSecurity') as PodSecurityConfiguration | undefined;
      return newPodSecurity({ reader: registryReader(ctx.registries), config });
    },
  ],
  [
    'PodNodeSelector',
    async (ctx) => {
      const config = (await readAdmissionConfiguration(ctx.options.admissionControlConfigFile)).get('PodNodeSelector') as { podNodeSelectorPluginConfig?: PodNodeSelectorConfig } | undefined;
      return newPodNodeSelector({ reader: registryReader(ctx.registries), config: config?.podNodeSelectorPluginConfig });
    },
  ],
  ['Priority', (ctx) => newPriority({ reader: registryReader(ctx.registries) })],
  ['DefaultTolerationSeconds', () => newDefaultTolerationSeconds()],
  [
    'PodTolerationRestriction',
    async (ctx) => {
      const config = (await readAdmissionConfiguration(ctx.options.admissionControlConfigFile)).get('PodTolerationRestriction') as PodTolerationRestrictionConfig | undefined;
      return newPodTolerationRestriction({ reader: registryReader(ctx.registries), config });
    },
  ],
  [
    'EventRateLimit',
    async (ctx) => {
      const config = (await readAdmissionConfiguration(ctx.options.admissionControlConfigFile)).get('EventRateLimit') as { limits?: EventRateLimitSpec[] } | undefined;
      if (!config?.limits?.length) throw new Error('EventRateLimit: its configuration (limits) is required in --admission-control-config-file');
      return newEventRateLimit({ limits: config.limits });
    },
  ],
  ['ExtendedResourceToleration', () => newExtendedResourceToleration()],
  ['DefaultStorageClass', (ctx) => newDefaultStorageClass({ reader: registryReader(ctx.registries) })],
  ['StorageObjectInUseProtection', () => newStorageObjectInUseProtection()],
  ['OwnerReferencesPermissionEnforcement', async (ctx) => newOwnerReferencesPermissionEnforcement({ authorizer: (await newAuthorizer(ctx)).authorizer, registries: ctx.registries })],
  ['PersistentVolumeClaimResize', (ctx) => newPersistentVolumeClaimResize({ reader: registryReader(ctx.registries) })],
  ['RuntimeClass', (ctx) => newRuntimeClass({ reader: registryReader(ctx.registries) })],
  ['CertificateApproval', async (ctx) => newCertificateApproval({ authorizer: (await newAuthorizer(ctx)).authorizer })],
  ['CertificateSigning', async (ctx) => newCertificateSigning({ authorizer: (await newAuthorizer(ctx)).authorizer })],
  ['CertificateSubjectRestriction', () => newCertificateSubjectRestriction()],
  ['DefaultIngressClass', (ctx) => newDefaultIngressClass({ reader: registryReader(ctx.registries) })],
  ['DenyServiceExternalIPs', () => newDenyServiceExternalIPs()],
  [
    'MutatingAdmissionWebhook',
    async (ctx) =>
      newMutatingAdmissionWebhook({
        source: new WebhookSource(ctx.registries, 'mutatingwebhookconfigurations'),
        dispatcher: new WebhookDispatcher({ reader: registryReader(ctx.registries), signal: ctx.signal, metrics: ctx.admissionMetrics, authorizer: (await newAuthorizer(ctx)).authorizer }),
      }),
  ],
  [
    'MutatingAdmissionPolicy',
    async (ctx) => newMutatingAdmissionPolicy({ registries: ctx.registries, reader: registryReader(ctx.registries), authorizer: (await newAuthorizer(ctx)).authorizer }),
  ],
  [
    'ValidatingAdmissionPolicy',
    async (ctx) =>
      newValidatingAdmissionPolicy({ registries: ctx.registries, reader: registryReader(ctx.registries), authorizer: (await newAuthorizer(ctx)).authorizer, metrics: ctx.admissionMetrics }),
  ],
  [
    'ValidatingAdmissionWebhook',
    async (ctx) =>
      newValidatingAdmissionWebhook({
        source: new WebhookSource(ctx.registries, 'validatingwebhookconfigurations'),
        dispatcher: new WebhookDispatcher({ reader: registryReader(ctx.registries), signal: ctx.signal, metrics: ctx.admissionMetrics, authorizer: (await newAuthorizer(ctx)).authorizer }),
      }),
  ],
  ['ResourceQuota', (ctx) => newResourceQuota({ reader: registryReader(ctx.registries), registries: ctx.registries })],
  ['AlwaysDeny', () => newAlwaysDeny()],
]);
