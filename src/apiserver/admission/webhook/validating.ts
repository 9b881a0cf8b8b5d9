// ValidatingAdmissionWebhook: every matching webhook of the ValidatingWebhookConfigurations sees the write,
// in parallel; any refusal (or a failure under failurePolicy Fail) stops it.

import type { StatusError } from '../../../apimachinery/errors.js';
import type { AdmissionPlugin } from '../interface.js';
import { isExemptAdmissionConfigurationResource } from './matching.js';
import { failurePolicyError, type WebhookDispatcher } from './dispatch.js';
import type { WebhookSource } from './source.js';

export const validatingAdmissionWebhookPluginName = 'ValidatingAdmissionWebhook';

export function newValidatingAdmissionWebhook(opts: { source: WebhookSource; dispatcher: WebhookDispatcher }): AdmissionPlugin {
  return {
    name: validatingAdmissionWebhookPluginName,
    handles: (op) => op !== 'CONNECT',
    async validate(attrs) {
      if (isExemptAdmissionConfigurationResource(attrs)) return;
      const hooks = await opts.source.webhooks();
      if (hooks.length === 0) return;
      const outcomes = await Promise.all(hooks.map((h) => opts.dispatcher.call(h.hook, attrs, false)));
      // Upstream collects every webhook's error and answers with one; k8ts picks the first in webhook order.
      let first: StatusError | undefined;
      outcomes.forEach((o, i) => {
        let err: StatusError | undefined;
        if (o.kind === 'rejected') err = o.error;
        else if (o.kind === 'failed') err = failurePolicyError(hooks[i].hook, o.error);
        first ??= err;
      });
      if (first) throw first;
    },
  };
}
