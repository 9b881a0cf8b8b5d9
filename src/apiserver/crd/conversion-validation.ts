// The spec.conversion rules of CustomResourceDefinition validation (upstream apiextensions-apiserver
// validateCustomResourceConversion). Paths use upstream's internal field names (`webhookClientConfig`,
// `conversionReviewVersions` directly under spec.conversion), which is what its messages show for v1 CRDs too.

import { forbidden, invalid, notSupported, required, type FieldError } from '../../apimachinery/field-error.js';
import { isDNS1035Label } from '../../apimachinery/validation/names.js';
import { validateCABundle, validateWebhookService, validateWebhookURL } from '../registry/webhook-client-config.js';
import type { CustomResourceDefinition } from './crd-types.js';

/** ConversionReview versions this apiserver understands (and so accepts in conversionReviewVersions). */
const acceptedReviewVersions = ['v1', 'v1beta1'];

function validateConversionReviewVersions(versions: string[] | undefined, path: string): FieldError[] {
  if (!versions || versions.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(invalid(`${path}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errs.push(invalid(`${path}[${i}]`, v, msg));
  });
  if (!versions.some((v) => acceptedReviewVersions.includes(v))) errs.push(invalid(path, versions, `must include at least one of ${acceptedReviewVersions.join(', ')}`));
  return errs;
}

/** Problems with spec.conversion (strategy, the webhook's client config and review versions). */
export function validateCustomResourceConversion(spec: CustomResourceDefinition['spec']): FieldError[] {
  const conversion = spec.conversion;
  if (!conversion) return [];
  const errs: FieldError[] = [];
  if (conversion.strategy !== 'None' && spec.preserveUnknownFields === true) {
    errs.push(invalid('spec.conversion.strategy', conversion.strategy, 'must be None if spec.preserveUnknownFields is true'));
  }
  if (!conversion.strategy) errs.push(required('spec.conversion.strategy'));
  else if (conversion.strategy !== 'None' && conversion.strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', conversion.strategy, ['None', 'Webhook']));
  const clientConfig = conversion.webhook?.clientConfig;
  const ccPath = 'spec.conversion.webhookClientConfig';
  if (conversion.strategy === 'Webhook') {
    if (!clientConfig) errs.push(required(ccPath, 'required when strategy is set to Webhook'));
    else {
      if ((clientConfig.url === undefined) === (clientConfig.service === undefined)) errs.push(required(ccPath, 'exactly one of url or service is required'));
      else if (clientConfig.url !== undefined) errs.push(...validateWebhookURL(clientConfig.url, `${ccPath}.url`));
      else if (clientConfig.service) errs.push(...validateWebhookService(clientConfig.service, `${ccPath}.service`));
      if (clientConfig.caBundle) errs.push(...validateCABundle(clientConfig.caBundle, `${ccPath}.caBundle`));
    }
    errs.push(...validateConversionReviewVersions(conversion.webhook?.conversionReviewVersions, 'spec.conversion.conversionReviewVersions'));
  } else {
    if (clientConfig) errs.push(forbidden(ccPath, 'should not be set when strategy is not set to Webhook'));
    if ((conversion.webhook?.conversionReviewVersions ?? []).length > 0) {
      errs.push(forbidden('spec.conversion.conversionReviewVersions', 'should not be set when strategy is not set to Webhook'));
    }
  }
  return errs;
}
