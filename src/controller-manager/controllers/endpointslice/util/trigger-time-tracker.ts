// The last-change trigger time of a Service's endpoints (upstream TriggerTimeTracker): the earliest pod
// readiness transition or Service creation not yet reflected, exported as an annotation so latency SLOs can
// be measured from the change that caused an endpoints write.
import type { Pod, Service } from './pod-membership.js';

interface ServiceState {
  serviceTime: number;
  podTimes: Map<string, number>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * Records the pods' Ready-condition transition times and returns the time to export (ms since the epoch),
   * or undefined when nothing changed since the last call. The first call for a Service returns its
   * creation time. Not to be called concurrently for one Service (the work queue guarantees that).
   */
  compute(namespace: string, service: Service, pods: Pod[]): number | undefined {
    const key = `${namespace}/${service.metadata?.name}`;
    const known = this.states.get(key);
    let earliest: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, t);
      if (t > (known?.podTimes.get(name) ?? Number.NEGATIVE_INFINITY)) earliest = earliest === undefined ? t : Math.min(earliest, t);
    }
    const serviceTime = parseTime(service.metadata?.creationTimestamp) ?? 0;
    if (serviceTime > (known?.serviceTime ?? Number.NEGATIVE_INFINITY)) earliest = earliest === undefined ? serviceTime : Math.min(earliest, serviceTime);
    this.states.set(key, { serviceTime, podTimes });
    if (!known) return serviceTime || undefined;
    return earliest;
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function podTriggerTime(pod: Pod): number | undefined {
  return parseTime(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime);
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros, none when whole. */
export function formatRFC3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_m, frac: string) => (/^0+$/.test(frac) ? 'Z' : `.${frac.replace(/0+$/, '')}Z`));
}
