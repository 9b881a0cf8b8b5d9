// Builds the apiserver's Auditor from --audit-policy-file and --audit-log-path (+ rotation flags), as upstream:
// auditing needs both a policy and a backend; without either nothing is audited and nothing is paid.

import { decodeProtobufObject } from '../../api/protobuf.js';
import type { Clock } from '../../base/clock.js';
import { klog } from '../../base/logger.js';
import { Auditor } from './auditor.js';
import { openLogBackend } from './log-backend.js';
import { loadPolicy, newPolicyRuleEvaluator } from './policy.js';

const log = klog.withName('audit-options.ts');

export interface AuditFlags {
  auditPolicyFile?: string;
  auditLogPath?: string;
  auditLogMaxAge?: number;
  auditLogMaxBackup?: number;
  auditLogMaxSize?: number;
}

/**
 * The Auditor the flags ask for, or undefined when auditing is off. Rejects (the apiserver does not start) for
 * an unreadable or invalid policy and an unwritable log file. Aborting `signal` closes the log file.
 */
export async function auditorFromFlags(opts: AuditFlags, signal: AbortSignal, clock?: Clock): Promise<Auditor | undefined> {
  if (!opts.auditPolicyFile) {
    if (opts.auditLogPath) log.v(2).info('No audit policy file provided, no events will be recorded for log backend');
    return undefined;
  }
  const policy = await loadPolicy(opts.auditPolicyFile);
  if (!opts.auditLogPath) return undefined;
  const sink = openLogBackend({
    path: opts.auditLogPath,
    maxSizeBytes: (opts.auditLogMaxSize ?? 0) * 1024 * 1024,
    maxBackups: opts.auditLogMaxBackup ?? 0,
    maxAgeDays: opts.auditLogMaxAge ?? 0,
    clock,
    onError: (err) => log.error('Unable to write audit event', err),
  });
  signal.addEventListener('abort', () => sink.close(), { once: true });
  return new Auditor({ evaluate: newPolicyRuleEvaluator(policy), sink, clock, decodeProtobuf: decodeProtobufObject });
}
