// The admission chain of kube-apiserver: the plugins the flags enable (plugin-names.ts), run mutating then
// validating, and the per-write hooks the REST layer calls.

import { klog } from '../../base/logger.js';
import { rbacAdmissionFor } from '../authorization/modes.js';
import type { AdmissionRequest, ResourceHandlerOptions } from '../endpoints/resource-handler.js';
import { warningHeaderValue } from '../field-validation/field-validation.js';
import type { APIObject } from '../registry/strategy.js';
import type { SecurityContext } from '../security-context.js';
import type { AdmissionAttributes, AdmissionHooks, AdmissionPlugin, Operation, ReinvocationContext } from './interface.js';
import { discardAdmissionMetrics, type AdmissionMetrics, type StepType } from './admission-metrics.js';
import { newAllowPrivileged } from './allow-privileged.js';
import { enabledPluginNames, validateAdmissionFlags } from './plugin-names.js';
import { admissionPluginFactories } from './plugins.js';

const log = klog.withName('admission');

/** The plugins of one chain, in order, with the mutating and validating steps split out for the hot path. */
export class AdmissionChain {
  readonly plugins: readonly AdmissionPlugin[];
  private readonly mutating: readonly AdmissionPlugin[];
  private readonly validating: readonly AdmissionPlugin[];

  constructor(
    plugins: readonly AdmissionPlugin[],
    private readonly metrics: AdmissionMetrics = discardAdmissionMetrics,
  ) {
    this.plugins = plugins;
    this.mutating = plugins.filter((p) => p.admit);
    this.validating = plugins.filter((p) => p.validate);
  }

  /**
   * Runs the mutating plugins in order; when one asked for it (a webhook changed the object), runs them once
   * more as upstream's reinvoker does. The first error stops the chain and is the answer.
   */
  async admit(attrs: AdmissionAttributes): Promise<void> {
    const reinvocation: ReinvocationContext = attrs.reinvocation ?? { isReinvoke: false, shouldReinvoke: false, values: new Map() };
    attrs.reinvocation = reinvocation;
    await this.timed('admit', attrs, undefined, async () => {
      await this.runMutating(attrs);
      if (!reinvocation.shouldReinvoke) return;
      reinvocation.isReinvoke = true;
      await this.runMutating(attrs);
    });
  }

  private async runMutating(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.mutating) {
      if (p.handles(attrs.operation)) await this.timed('admit', attrs, p.name, () => p.admit!(attrs));
    }
  }

  /** Runs the validating plugins in order; the first error is the answer. */
  async validate(attrs: AdmissionAttributes): Promise<void> {
    await this.timed('validate', attrs, undefined, async () => {
      for (const p of this.validating) {
        if (p.handles(attrs.operation)) await this.timed('validate', attrs, p.name, () => p.validate!(attrs));
      }
    });
  }

  /** Runs `fn`, observing its duration as the step's (no `plugin`) or as that plugin's, rejected when it threw. */
  private async timed(type: StepType, attrs: AdmissionAttributes, plugin: string | undefined, fn: () => Promise<void>): Promise<void> {
    const start = performance.now();
    let rejected = true;
    try {
      await fn();
      rejected = false;
    } finally {
      const seconds = (performance.now() - start) / 1000;
      if (plugin === undefined) this.metrics.step(type, attrs.operation, rejected, seconds);
      else this.metrics.controller(plugin, type, attrs.operation, rejected, seconds);
    }
  }

  /** The hooks of one write (what ResourceHandlerOptions.admissionFor returns). */
  hooksFor(req: AdmissionRequest): AdmissionHooks {
    const warnings: string[] = [];
    const addWarning = (text: string) => {
      const value = warningHeaderValue(text);
      if (!warnings.includes(value)) warnings.push(value);
    };
    return {
      warnings,
      mutate: (obj, old) => this.admit(admissionAttributes({ req, obj, old, addWarning })),
      validate: (obj, old) => this.validate(admissionAttributes({ req, obj, old, addWarning })),
    };
  }
}

/** The attributes of one admission call: the operation follows from which objects are present. */
export function admissionAttributes(args: { req: AdmissionRequest; obj: APIObject | undefined; old: APIObject | undefined; addWarning?: (text: string) => void }): AdmissionAttributes {
  const { req, obj, old } = args;
  const r = req.registry.resource;
  const operation: Operation = obj && old ? 'UPDATE' : obj ? 'CREATE' : 'DELETE';
  return {
    operation,
    kind: req.kind ?? { group: r.group, version: r.version, kind: r.kind },
    resource: { group: r.group, version: r.version, resource: r.plural },
    subresource: req.subresource,
    namespace: req.namespace,
    name: req.name || (obj?.metadata?.name ?? old?.metadata?.name ?? ''),
    object: obj,
    oldObject: old,
    user: req.user,
    dryRun: req.dryRun,
    options: req.options,
    addWarning: args.addWarning,
    excludedLatency: req.excludedLatency,
  };
}

/**
 * Builds the chain the flags ask for. Names kube-apiserver knows but k8ts does not implement (see
 * plugins.ts) are accepted and logged once: they admit everything, which is also what most of them do
 * until configured.
 */
export async function newAdmissionChain(ctx: SecurityContext): Promise<AdmissionChain> {
  const flags = { enable: ctx.options.enableAdmissionPlugins, disable: ctx.options.disableAdmissionPlugins };
  const errs = validateAdmissionFlags(flags);
  if (errs.length) throw new Error(errs.join(', '));
  const plugins: AdmissionPlugin[] = [];
  const missing: string[] = [];
  for (const name of enabledPluginNames(flags)) {
    const factory = admissionPluginFactories.get(name);
    if (!factory) {
      missing.push(name);
      continue;
    }
    plugins.push(await factory(ctx));
  }
  // Upstream's start-up lines, word for word.
  const mutating = plugins.filter((p) => p.admit).map((p) => p.name);
  const validating = plugins.filter((p) => p.validate).map((p) => p.name);
  log.info(`Loaded ${mutating.length} mutating admission controller(s) successfully in the following order: ${mutating.join(',')}.`);
  log.info(`Loaded ${validating.length} validating admission controller(s) successfully in the following order: ${validating.join(',')}.`);
  if (missing.length) log.v(2).info('Admission plugins enabled but not implemented by k8ts (admit everything)', { names: missing.join(',') });
  return new AdmissionChain(plugins, ctx.admissionMetrics);
}

/** Runs `first`'s hooks before `then`'s; warnings are `then`'s (the chain's). */
function composeHooks(first: AdmissionHooks | undefined, then: AdmissionHooks): AdmissionHooks {
  if (!first) return then;
  return {
    warnings: then.warnings,
    mutate: async (obj, old) => {
      await first.mutate(obj, old);
      await then.mutate(obj, old);
    },
    validate: async (obj, old) => {
      await first.validate(obj, old);
      await then.validate(obj, old);
    },
  };
}

/**
 * The default of APIServerDeps.admissionFor: RBAC's escalation checks on roles and bindings and the
 * --allow-privileged check (always on: upstream makes them in the registries, not as plugins), then the chain
 * the flags ask for.
 */
export async function newAdmissionFor(ctx: SecurityContext): Promise<ResourceHandlerOptions['admissionFor']> {
  const plugins = await newAdmissionChain(ctx);
  // --allow-privileged is upstream pod validation: it runs whatever plugins are enabled, before them.
  const chain = new AdmissionChain([newAllowPrivileged(!!ctx.options.allowPrivileged), ...plugins.plugins], ctx.admissionMetrics);
  const rbac = await rbacAdmissionFor(ctx);
  return (req) => composeHooks(rbac(req), chain.hooksFor(req));
}
