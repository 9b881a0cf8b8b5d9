// The aggregator's availability metrics (upstream kube-aggregator's): whether each APIService is unavailable
// now, and how often each became unavailable, by reason — on the apiserver's Prometheus registry.

import { Counter, Gauge, type Registry } from 'prom-client';

/** What the availability controller reports; the no-op default costs nothing. */
export interface AvailabilityMetrics {
  /** Records the APIService's current availability (the gauge is 1 while it is not Available). */
  setAvailable(name: string, available: boolean): void;
  /** Counts a transition from available (or unknown) to unavailable, with the condition's reason. */
  becameUnavailable(name: string, reason: string): void;
  /** Forgets a deleted APIService. */
  forget(name: string): void;
}

export const discardAvailabilityMetrics: AvailabilityMetrics = { setAvailable: () => undefined, becameUnavailable: () => undefined, forget: () => undefined };

/** aggregator_unavailable_apiservice and aggregator_unavailable_apiservice_total on `registry`. */
export function prometheusAvailabilityMetrics(registry: Registry): AvailabilityMetrics {
  const gauge = new Gauge({ name: 'aggregator_unavailable_apiservice', help: 'APIServices currently not available (1), by APIService name.', labelNames: ['name'], registers: [registry] });
  const counter = new Counter({
    name: 'aggregator_unavailable_apiservice_total',
    help: 'Times an APIService became unavailable, by APIService name and condition reason.',
    labelNames: ['name', 'reason'],
    registers: [registry],
  });
  return {
    setAvailable: (name, available) => gauge.set({ name }, available ? 0 : 1),
    becameUnavailable: (name, reason) => counter.inc({ name, reason }),
    forget: (name) => gauge.remove({ name }),
  };
}
