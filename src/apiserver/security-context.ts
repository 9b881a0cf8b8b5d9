// What the apiserver's security plumbing (authentication, authorization, admission, create-only review
// resources) is built from once the registries exist.

import type { Store } from '../storage/interface.js';
import type { AdmissionMetrics } from './admission/admission-metrics.js';
import type { APIServerOptions } from './options.js';
import type { Registries } from './registry/generic/registries.js';

export interface SecurityContext {
  options: APIServerOptions;
  /** In-process reads and writes (secrets for bootstrap tokens, service accounts, webhook configurations, …). */
  registries: Registries;
  store: Store;
  /** Aborts when the server stops (for background reloads and caches). */
  signal: AbortSignal;
  /** Where admission reports plugin, step and webhook latencies (absent: nowhere). */
  admissionMetrics?: AdmissionMetrics;
}
