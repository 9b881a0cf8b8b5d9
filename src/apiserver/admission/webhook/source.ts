// The webhooks currently configured (upstream's configuration managers): the stored
// MutatingWebhookConfiguration or ValidatingWebhookConfiguration objects, read through the watch cache and
// re-parsed only when they changed.

import type { Registries } from '../../registry/generic/registries.js';
import type { Webhook } from './matching.js';

export interface ConfiguredWebhook {
  /** Name of the configuration object it comes from. */
  configuration: string;
  hook: Webhook;
  /** Stable identity across calls (for reinvocation bookkeeping). */
  uid: string;
}

export type WebhookConfigurationResource = 'mutatingwebhookconfigurations' | 'validatingwebhookconfigurations';

export class WebhookSource {
  private lastItems: readonly string[] = [];
  private hooks: readonly ConfiguredWebhook[] = [];

  constructor(
    private readonly registries: Registries,
    private readonly resource: WebhookConfigurationResource,
  ) {}

  /** The webhooks in upstream's order: configurations sorted by name, webhooks as listed in each. */
  async webhooks(): Promise<readonly ConfiguredWebhook[]> {
    const reg = this.registries.get('admissionregistration.k8s.io', this.resource);
    if (!reg) return [];
    const { items } = await reg.list({ namespace: '' });
    if (items.length === this.lastItems.length && items.every((t, i) => t === this.lastItems[i])) return this.hooks;
    const configs = items.map((t) => JSON.parse(t) as { metadata?: { name?: string }; webhooks?: Webhook[] });
    configs.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    const hooks: ConfiguredWebhook[] = [];
    for (const c of configs) {
      const name = c.metadata?.name ?? '';
      for (const hook of c.webhooks ?? []) hooks.push({ configuration: name, hook, uid: `${name}/${hook.name}` });
    }
    this.lastItems = items;
    this.hooks = hooks;
    return hooks;
  }
}
