// The webhooks currently configured (upstream's configuration managers): the stored
// MutatingWebhookConfiguration or ValidatingWebhookConfiguration objects, read through the watch cache and
// flattened again only when they changed.

import type { Registries } from '../../registry/generic/registries.js';
import { CachedList } from '../cached-list.js';
import type { Webhook } from './matching.js';

export interface ConfiguredWebhook {
  /** Name of the configuration object it comes from. */
  configuration: string;
  hook: Webhook;
  /** Stable identity across calls (for reinvocation bookkeeping). */
  uid: string;
}

export type WebhookConfigurationResource = 'mutatingwebhookconfigurations' | 'validatingwebhookconfigurations';

type Configuration = { metadata?: { name?: string }; webhooks?: Webhook[] };

export class WebhookSource {
  private readonly configs: CachedList<Configuration>;
  private lastConfigs: readonly Configuration[] | undefined;
  private hooks: readonly ConfiguredWebhook[] = [];

  constructor(registries: Registries, resource: WebhookConfigurationResource) {
    this.configs = new CachedList(registries, 'admissionregistration.k8s.io', resource);
  }

  /** The webhooks in upstream's order: configurations sorted by name, webhooks as listed in each. */
  async webhooks(): Promise<readonly ConfiguredWebhook[]> {
    const configs = await this.configs.items();
    if (configs === this.lastConfigs) return this.hooks;
    const hooks: ConfiguredWebhook[] = [];
    for (const c of configs) {
      const name = c.metadata?.name ?? '';
      for (const hook of c.webhooks ?? []) hooks.push({ configuration: name, hook, uid: `${name}/${hook.name}` });
    }
    this.lastConfigs = configs;
    this.hooks = hooks;
    return hooks;
  }
}
