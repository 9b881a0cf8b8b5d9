// Reads a --config file (YAML or JSON) into a KubeSchedulerConfiguration and checks what upstream's decoder
// and validation would reject: unknown apiVersion/kind, duplicate profiles, bad percentages.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configAPIVersion, configKind, type KubeSchedulerConfiguration } from './types.js';

/** Parses the text of a configuration file; throws an Error worded as upstream's for invalid content. */
export function parseConfiguration(text: string, file: string): KubeSchedulerConfiguration {
  let obj: unknown;
  try {
    obj = parse(text);
  } catch (err) {
    throw new Error(`failed to decode ${file}: ${(err as Error).message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`failed to decode ${file}: not an object`);
  const c = obj as KubeSchedulerConfiguration;
  if (c.kind !== configKind || c.apiVersion !== configAPIVersion) {
    throw new Error(`no kind ${JSON.stringify(c.kind ?? '')} is registered for version ${JSON.stringify(c.apiVersion ?? '')} in scheme (k8ts reads ${configAPIVersion} ${configKind})`);
  }
  validateConfiguration(c);
  return c;
}

export function loadConfigurationFile(path: string): KubeSchedulerConfiguration {
  return parseConfiguration(readFileSync(path, 'utf8'), path);
}

function validateConfiguration(c: KubeSchedulerConfiguration): void {
  const problems: string[] = [];
  const pct = (v: number | undefined, path: string): void => {
    if (v !== undefined && (v < 0 || v > 100)) problems.push(`${path}: Invalid value: ${v}: not in valid range [0-100]`);
  };
  pct(c.percentageOfNodesToScore, 'percentageOfNodesToScore');
  if (c.parallelism !== undefined && c.parallelism <= 0) problems.push(`parallelism: Invalid value: ${c.parallelism}: should be an integer value greater than zero`);
  const names = new Set<string>();
  (c.profiles ?? []).forEach((p, i) => {
    const name = p.schedulerName ?? 'default-scheduler';
    if (names.has(name)) problems.push(`profiles[${i}].schedulerName: Duplicate value: ${JSON.stringify(name)}`);
    names.add(name);
    pct(p.percentageOfNodesToScore, `profiles[${i}].percentageOfNodesToScore`);
  });
  if (problems.length > 0) throw new Error(problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`);
}
