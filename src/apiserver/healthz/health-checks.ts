// The named health checks of an apiserver (ping, log, etcd, poststarthook/<name>, shutdown) and which of
// /healthz, /livez and /readyz run each, as upstream's kube-apiserver installs them.

/** A named check. It passes by returning and fails by throwing or rejecting; the message is only logged. */
export interface HealthChecker {
  readonly name: string;
  check(signal: AbortSignal): Promise<void> | void;
}

/** Always passes: the server answers HTTP. */
export const pingCheck: HealthChecker = { name: 'ping', check() {} };

/** Bytes of log output queued on stderr above which logging counts as blocked. */
const blockedLogBytes = 1 << 20;

/**
 * Fails when log output is backing up (stderr has more than 1 MiB queued), the analogue of upstream's check
 * that klog's flushing is not stuck.
 */
export const logCheck: HealthChecker = {
  name: 'log',
  check() {
    if (process.stderr.writableLength > blockedLogBytes) throw new Error('logging blocked');
  },
};

/**
 * The "etcd" check: storage answers within `timeoutMs` (upstream's --etcd-healthcheck-timeout, 2 s).
 * `ping` receives a signal that aborts at the deadline and should reject when storage is unreachable.
 */
export function storageCheck(ping: (signal: AbortSignal) => Promise<void>, timeoutMs = 2000): HealthChecker {
  return {
    name: 'etcd',
    check(signal) {
      // A ref'd timer (not AbortSignal.timeout, which is unref'd): a pending check keeps the process alive.
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), timeoutMs);
      const combined = AbortSignal.any([signal, deadline.signal]);
      return new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new Error(`storage did not answer within ${timeoutMs} ms`));
        if (combined.aborted) return onAbort();
        combined.addEventListener('abort', onAbort, { once: true });
        ping(combined).then(resolve, reject);
      }).finally(() => {
        clearTimeout(timer);
      });
    },
  };
}
