// The shape of the apiserver's post-start hooks as bootstrap sees it (a structural subset of server.ts's
// PostStartHook, so server.ts can list these hooks without an import cycle).

import type { Store } from '../../storage/interface.js';
import type { APIServerOptions } from '../options.js';
import type { Registries } from '../registry/generic/registries.js';

export interface BootstrapContext {
  registries: Registries;
  store: Store;
  options: APIServerOptions;
  /** The bound HTTPS port: the `kubernetes` Service's targetPort and Endpoints port. */
  securePort: number;
  /** Ends the hook's periodic work (server shutdown). */
  signal: AbortSignal;
}

export interface BootstrapHook {
  /** Upstream's hook name, shown as `poststarthook/<name>` by /healthz?verbose. */
  name: string;
  /** Does the first pass and resolves; periodic hooks keep running until `ctx.signal` aborts. */
  run(ctx: BootstrapContext): Promise<void>;
}
