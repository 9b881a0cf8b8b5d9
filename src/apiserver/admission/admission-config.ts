// --admission-control-config-file: an AdmissionConfiguration (apiserver.config.k8s.io/v1) naming each
// plugin's configuration inline (`configuration`) or in another file (`path`, relative to this one).

import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYAML } from 'yaml';

interface AdmissionConfiguration {
  kind?: string;
  plugins?: Array<{ name?: string; path?: string; configuration?: unknown }>;
}

/** Each configured plugin's configuration object, by plugin name; empty without a file. */
export async function readAdmissionConfiguration(file: string | undefined): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  if (!file) return out;
  const doc = parseYAML(await readFile(file, 'utf8')) as AdmissionConfiguration | null;
  if (doc?.kind && doc.kind !== 'AdmissionConfiguration') throw new Error(`failed to read plugin config: unexpected kind ${JSON.stringify(doc.kind)} in ${file}`);
  for (const p of doc?.plugins ?? []) {
    if (!p.name) continue;
    if (p.configuration !== undefined) out.set(p.name, p.configuration);
    else if (p.path) out.set(p.name, parseYAML(await readFile(resolve(dirname(file), p.path), 'utf8')));
  }
  return out;
}
