// The audit log file: appends lines, rotates by size into lumberjack-named backups, keeps maxbackup of them
// and drops those older than maxage.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock } from '../../base/clock.js';
import { backupName, openLogBackend } from './log-backend.js';

test('backup names follow lumberjack', () => {
  assert.equal(backupName('/var/log/audit.log', new Date(Date.UTC(2026, 10, 22, 9, 5, 7, 42))), '/var/log/audit-2026-11-22T09-05-07.042.log');
});

test('rotates by size and keeps at most maxBackups files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-audit-log-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'audit.log');
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0));
  const sink = openLogBackend({ path, maxSizeBytes: 25, maxBackups: 2, maxAgeDays: 0, clock });
  for (let i = 0; i < 8; i++) {
    sink.write(`{"event":${i}}\n`); // 12 bytes: two lines per file
    clock.step(1000);
  }
  sink.close();
  const files = (await readdir(dir)).sort();
  assert.deepEqual(files, ['audit-2026-11-22T09-00-04.000.log', 'audit-2026-11-22T09-00-06.000.log', 'audit.log']);
  assert.equal(await readFile(path, 'utf8'), '{"event":6}\n{"event":7}\n');
  assert.equal(await readFile(join(dir, files[1]), 'utf8'), '{"event":4}\n{"event":5}\n');
});

test('drops backups older than maxAge days; appends to an existing file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-audit-age-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'audit.log');
  await writeFile(join(dir, 'audit-2026-11-01T00-00-00.000.log'), 'old\n');
  await writeFile(join(dir, 'audit-2026-11-21T00-00-00.000.log'), 'recent\n');
  await writeFile(path, 'x'.repeat(20) + '\n');
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 9, 0, 0));
  const sink = openLogBackend({ path, maxSizeBytes: 25, maxBackups: 0, maxAgeDays: 7, clock });
  sink.write('{"a":1}\n');
  sink.close();
  assert.deepEqual((await readdir(dir)).sort(), ['audit-2026-11-21T00-00-00.000.log', 'audit-2026-11-22T09-00-00.000.log', 'audit.log']);
  assert.equal(await readFile(path, 'utf8'), '{"a":1}\n');
});
