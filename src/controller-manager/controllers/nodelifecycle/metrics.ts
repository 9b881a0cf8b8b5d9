// The node lifecycle controller's Prometheus metrics (upstream subsystem node_collector): per zone its size,
// its not-Ready nodes and health in percent, and the NoExecute taintings ("evictions") done.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface NodeLifecycleMetrics {
  setZone(zone: string, size: number, unhealthy: number): void;
  /** A zone no node belongs to any more: its gauges go back to empty (upstream sets 0 and 100). */
  clearZone(zone: string): void;
  countEviction(zone: string): void;
}

function reuse<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Metrics registered on `registry` (shared by a manager's controllers; created once per registry). */
export function newNodeLifecycleMetrics(registry: Registry): NodeLifecycleMetrics {
  const registers = [registry];
  const zoneSize = reuse(registry, 'node_collector_zone_size', () => new Gauge({ name: 'node_collector_zone_size', help: 'Gauge measuring number of registered Nodes per zones.', labelNames: ['zone'], registers }));
  const zoneHealth = reuse(registry, 'node_collector_zone_health', () => new Gauge({ name: 'node_collector_zone_health', help: 'Gauge measuring percentage of healthy nodes per zone.', labelNames: ['zone'], registers }));
  const unhealthy = reuse(registry, 'node_collector_unhealthy_nodes_in_zone', () => new Gauge({ name: 'node_collector_unhealthy_nodes_in_zone', help: 'Gauge measuring number of not Ready Nodes per zones.', labelNames: ['zone'], registers }));
  const evictions = reuse(registry, 'node_collector_evictions_total', () => new Counter({ name: 'node_collector_evictions_total', help: 'Number of Node evictions that happened since current instance of NodeController started.', labelNames: ['zone'], registers }));
  return {
    setZone(zone, size, notReady) {
      zoneSize.set({ zone }, size);
      unhealthy.set({ zone }, notReady);
      zoneHealth.set({ zone }, size === 0 ? 100 : (100 * (size - notReady)) / size);
    },
    clearZone(zone) {
      zoneSize.set({ zone }, 0);
      zoneHealth.set({ zone }, 100);
      unhealthy.set({ zone }, 0);
    },
    countEviction(zone) {
      evictions.inc({ zone });
    },
  };
}
