// The audit log backend (--audit-log-path): one JSON event per line, to a file or stdout ("-"), with
// lumberjack's rotation as upstream uses it (--audit-log-maxsize, --audit-log-maxbackup, --audit-log-maxage).

import { closeSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { realClock, type Clock } from '../../base/clock.js';

/** Where audit events go. write() never throws: a failed write is reported once per failure to onError. */
export interface AuditSink {
  write(line: string): void;
  close(): void;
}

export interface LogBackendOptions {
  /** A file path, or "-" for stdout. */
  path: string;
  /** Rotate before the file would grow beyond this many bytes (0: never). */
  maxSizeBytes: number;
  /** Rotated files kept (0: all). */
  maxBackups: number;
  /** Rotated files older than this many days are removed (0: kept). */
  maxAgeDays: number;
  clock?: Clock;
  onError?: (err: Error) => void;
}

/** lumberjack's backup name: `<name>-2006-01-02T15-04-05.000<ext>`, UTC. */
export function backupName(path: string, at: Date): string {
  const ext = extname(path);
  const stamp = at.toISOString().replace(/:/g, '-').replace(/Z$/, '');
  return join(dirname(path), `${basename(path, ext)}-${stamp}${ext}`);
}

/**
 * Opens the backend. Lines are written synchronously (upstream's default "blocking" mode: an event is on disk,
 * in the OS's cache, before the request completes), so a crash loses no acknowledged request's events.
 */
export function openLogBackend(opts: LogBackendOptions): AuditSink {
  const clock = opts.clock ?? realClock;
  const onError = opts.onError ?? (() => undefined);
  if (opts.path === '-') {
    return { write: (line) => void process.stdout.write(line), close: () => undefined };
  }
  let fd = openSync(opts.path, 'a', 0o600);
  let size = statSync(opts.path).size;

  const removeOldBackups = () => {
    const ext = extname(opts.path);
    const stem = `${basename(opts.path, ext)}-`;
    const backups = readdirSync(dirname(opts.path))
      .filter((f) => f.startsWith(stem) && f.endsWith(ext) && f !== basename(opts.path))
      .sort()
      .reverse();
    const cutoff = clock.now() - opts.maxAgeDays * 86_400_000;
    backups.forEach((f, i) => {
      const stamp = Date.parse(`${f.slice(stem.length, f.length - ext.length).replace(/T(\d\d)-(\d\d)-(\d\d)/, 'T$1:$2:$3')}Z`);
      const tooMany = opts.maxBackups > 0 && i >= opts.maxBackups;
      const tooOld = opts.maxAgeDays > 0 && Number.isFinite(stamp) && stamp < cutoff;
      if (tooMany || tooOld) unlinkSync(join(dirname(opts.path), f));
    });
  };

  const rotate = () => {
    closeSync(fd);
    renameSync(opts.path, backupName(opts.path, new Date(clock.now())));
    fd = openSync(opts.path, 'a', 0o600);
    size = 0;
    removeOldBackups();
  };

  return {
    write(line) {
      try {
        const bytes = Buffer.byteLength(line);
        if (opts.maxSizeBytes > 0 && size > 0 && size + bytes > opts.maxSizeBytes) rotate();
        writeSync(fd, line);
        size += bytes;
      } catch (err) {
        onError(err as Error);
      }
    },
    close() {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    },
  };
}
