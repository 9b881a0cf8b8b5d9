// --encryption-provider-config: the apiserver.config.k8s.io/v1 EncryptionConfiguration (and the legacy kind
// EncryptionConfig), read from YAML or JSON and validated with upstream's rules and messages.

import { readFile } from 'node:fs/promises';
import { parse as parseYAML } from 'yaml';
import { invalid, required, type FieldError } from '../../apimachinery/field-error.js';

export interface EncryptionKey {
  name: string;
  /** Base64 of the key bytes. */
  secret: string;
}

/** One list element of `providers`: exactly one of the fields is set. */
export interface ProviderConfiguration {
  aescbc?: { keys?: EncryptionKey[] };
  aesgcm?: { keys?: EncryptionKey[] };
  secretbox?: { keys?: EncryptionKey[] };
  identity?: Record<string, never>;
  kms?: { apiVersion?: string; name?: string; endpoint?: string; cachesize?: number; timeout?: string };
}

export interface ResourceConfiguration {
  /** `secrets`, `deployments.apps`, `*.apps` (a whole group), `*.` (the core group), `*.*` (everything). */
  resources?: string[];
  /** In order: the first encrypts new writes, every one is tried when reading. */
  providers?: ProviderConfiguration[];
}

export interface EncryptionConfiguration {
  apiVersion: string;
  kind: 'EncryptionConfiguration' | 'EncryptionConfig';
  resources?: ResourceConfiguration[];
}

/** A parsed resource pattern: group "*" and/or resource "*" are wildcards. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** upstream schema.ParseGroupResource: "deployments.apps" → {apps, deployments}; "*." → {"", "*"}. */
export function parseGroupResource(s: string): GroupResource {
  const dot = s.indexOf('.');
  return dot < 0 ? { group: '', resource: s } : { group: s.slice(dot + 1), resource: s.slice(0, dot) };
}

const aesKeySizes = [16, 24, 32];
const secretboxKeySizes = [32];
const atLeastOne = (what: string) => `at least one ${what} is required`;
const mandatory = (what: string, of: string) => `${what} is a mandatory field for a ${of}`;

/** upstream's non-REST resources the apiserver keeps in storage: they cannot be encrypted. */
const nonRESTResources = new Set(['apiserveripinfo', 'serviceipallocations', 'servicenodeportallocations']);

/** Validates a decoded configuration as upstream's ValidateEncryptionConfiguration does (field paths and wording). */
export function validateEncryptionConfiguration(c: EncryptionConfiguration): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.resources || c.resources.length === 0) return [required('resources', atLeastOne('resources'))];
  c.resources.forEach((conf, i) => {
    const r = `resources[${i}].resources`;
    const p = `resources[${i}].providers`;
    const list = conf.resources ?? [];
    if (list.length === 0) errs.push(required(r, atLeastOne(r)));
    errs.push(...validateResourceOverlap(list, r), ...validateResourceNames(list, r));
    const providers = conf.providers ?? [];
    if (providers.length === 0) errs.push(required(p, atLeastOne(p)));
    providers.forEach((provider, j) => {
      const path = `${p}[${j}]`;
      errs.push(...validateSingleProvider(provider, path));
      if (provider.kms) return;
      if (provider.aesgcm) errs.push(...validateKeys(provider.aesgcm.keys, `${path}.aesgcm.keys`, aesKeySizes));
      else if (provider.aescbc) errs.push(...validateKeys(provider.aescbc.keys, `${path}.aescbc.keys`, aesKeySizes));
      else if (provider.secretbox) errs.push(...validateKeys(provider.secretbox.keys, `${path}.secretbox.keys`, secretboxKeySizes));
    });
  });
  return errs;
}

function validateResourceOverlap(resources: string[], path: string): FieldError[] {
  if (resources.length < 2) return [];
  const parsed = resources.map(parseGroupResource);
  let duplicate = false;
  let overlap = false;
  parsed.forEach((a, i) => {
    parsed.forEach((b, j) => {
      if (i === j) return;
      if (a.group === b.group && a.resource === b.resource) {
        duplicate = true;
        return;
      }
      if (a.group === '*' && a.resource === '*') overlap = true;
      else if (a.group === b.group && (a.resource === '*' || b.resource === '*')) overlap = true;
    });
  });
  const errs: FieldError[] = [];
  if (duplicate) errs.push(invalid(path, resources, 'the same resource cannot be specified multiple times'));
  if (overlap) {
    errs.push(invalid(path, resources, "using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked"));
  }
  return errs;
}

function validateResourceNames(resources: string[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  resources.forEach((res, j) => {
    const at = `${path}[${j}]`;
    const gr = parseGroupResource(res);
    if (res.toLowerCase() !== res) errs.push(invalid(at, res, 'resource name should not contain capital letters'));
    else if (res === '*') errs.push(invalid(at, res, "use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources"));
    else if (nonRESTResources.has(res)) errs.push(invalid(at, res, 'resources which do not have REST API/s cannot be encrypted'));
    else if (gr.group === 'events.k8s.io') {
      errs.push(invalid(at, res, "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file"));
    } else if (gr.group === 'extensions') errs.push(invalid(at, res, "'extensions' group has been removed and cannot be used for encryption"));
    else if (gr.group === '*' && gr.resource !== '*') errs.push(invalid(at, res, 'encrypting the same resource across groups is not supported'));
  });
  return errs;
}

function validateSingleProvider(provider: ProviderConfiguration, path: string): FieldError[] {
  const found = [provider.kms, provider.aesgcm, provider.aescbc, provider.secretbox, provider.identity].filter((p) => p !== undefined && p !== null).length;
  if (found === 0) return [invalid(path, provider, 'provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity')];
  if (found > 1) return [invalid(path, provider, 'more than one provider specified in a single element, should split into different list elements')];
  return [];
}

function validateKeys(keys: EncryptionKey[] | undefined, path: string, sizes: number[]): FieldError[] {
  if (!keys || keys.length === 0) return [required(path, atLeastOne('keys'))];
  const errs: FieldError[] = [];
  keys.forEach((key, i) => {
    const at = `${path}[${i}]`;
    if (!key.name) errs.push(required(`${at}.name`, mandatory('name', 'key')));
    if (!key.secret) {
      errs.push(required(`${at}.secret`, mandatory('secret', 'key')));
      return;
    }
    const secret = decodeStdBase64(key.secret);
    if (!secret) errs.push(invalid(`${at}.secret`, 'REDACTED', 'secrets must be base64 encoded'));
    else if (!sizes.includes(secret.length)) {
      errs.push(invalid(`${at}.secret`, 'REDACTED', `secret is not of the expected length, got ${secret.length}, expected one of [${sizes.join(' ')}]`));
    }
  });
  return errs;
}

/** Go's base64.StdEncoding.DecodeString: padded standard alphabet only; undefined when malformed. */
export function decodeStdBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined;
  return Buffer.from(s, 'base64');
}

/** Go's aggregate rendering of a field error list: one error as is, several as `[a, b]`. */
export function aggregateMessage(errs: readonly FieldError[]): string {
  const texts = errs.map((e) => `${e.field}: ${e.detail}`);
  return texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
}

/**
 * Decodes and validates a configuration file's content. Throws an Error worded like kube-apiserver's start-up
 * failure (`error while parsing file: …`) for anything that would keep upstream from starting.
 */
export function parseEncryptionConfiguration(text: string, file: string): EncryptionConfiguration {
  const fail = (detail: string): never => {
    throw new Error(`error while parsing file: ${detail}`);
  };
  if (text.trim() === '') fail(`encryption provider configuration file ${JSON.stringify(file)} is empty`);
  let doc: unknown;
  try {
    doc = parseYAML(text);
  } catch (err) {
    fail(`error decoding encryption provider configuration file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  const obj = (doc ?? {}) as Partial<EncryptionConfiguration>;
  if (typeof obj !== 'object' || !obj.kind || !obj.apiVersion) {
    fail(`error decoding encryption provider configuration file ${JSON.stringify(file)}: Object 'Kind' is missing in '${text.trim()}'`);
  }
  if (obj.apiVersion !== 'apiserver.config.k8s.io/v1' || (obj.kind !== 'EncryptionConfiguration' && obj.kind !== 'EncryptionConfig')) {
    fail(
      `error decoding encryption provider configuration file ${JSON.stringify(file)}: no kind ${JSON.stringify(obj.kind)} is registered for version ${JSON.stringify(obj.apiVersion)} in scheme "k8s.io/apiserver/pkg/server/options/encryptionconfig/config.go"`,
    );
  }
  const config = obj as EncryptionConfiguration;
  const errs = validateEncryptionConfiguration(config);
  if (errs.length > 0) fail(aggregateMessage(errs));
  return config;
}

/** Reads --encryption-provider-config; errors as parseEncryptionConfiguration, or upstream's open failure. */
export async function loadEncryptionConfiguration(file: string): Promise<EncryptionConfiguration> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`error while parsing file: error opening encryption provider configuration file ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
  return parseEncryptionConfiguration(text, file);
}
