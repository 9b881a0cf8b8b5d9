// How custom resources move between their CRD's versions (upstream apiextensions-apiserver
// pkg/apiserver/conversion): with strategy None only apiVersion changes; with strategy Webhook the CRD's
// conversion webhook converts. Each served version's registry converts what it reads to that version and
// what it writes to the storage version.

import type { CustomResourceConversion } from '../../api/generated/apiextensions/v1.js';
import type { VersionConversion } from '../registry/generic/registry.js';
import { newWebhookConverter, type CustomResourceConverter, type WebhookConverterOptions } from './conversion-webhook.js';

/** Strategy None: the same fields in every version; objects only change their apiVersion. */
export const noneConverter: CustomResourceConverter = {
  convert: (objs, desiredAPIVersion) => Promise.resolve(objs.map((o) => (o.apiVersion === desiredAPIVersion ? o : { ...o, apiVersion: desiredAPIVersion }))),
};

/** The converter of a CRD's spec.conversion (absent or None: noneConverter). */
export function converterFor(conversion: CustomResourceConversion | undefined, webhook: Omit<WebhookConverterOptions, 'conversion'>): CustomResourceConverter {
  return conversion?.strategy === 'Webhook' ? newWebhookConverter({ ...webhook, conversion }) : noneConverter;
}

/**
 * The registry conversion of the served version `servedAPIVersion` (group/version) of a CRD whose storage
 * version is `storageAPIVersion`: reads are converted to the served version, writes to the storage version.
 */
export function servedVersionConversion(converter: CustomResourceConverter, servedAPIVersion: string, storageAPIVersion: string): VersionConversion {
  return {
    toStorage: (objs) => converter.convert(objs, storageAPIVersion),
    fromStorage: (objs) => converter.convert(objs, servedAPIVersion),
  };
}
