// EncryptionConfiguration decoding and validation: upstream's field paths and messages, legacy kind, refusals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEncryptionConfiguration } from './config.js';
import { transformersFromConfiguration } from './providers.js';

const key16 = Buffer.alloc(16, 1).toString('base64');
const key32 = Buffer.alloc(32, 2).toString('base64');
const head = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n';
const yamlWith = (resources: string) => `${head}resources:\n${resources}`;

test('valid configurations parse (both kinds, YAML and JSON)', () => {
  const cases = [
    yamlWith(`- resources: [secrets]\n  providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: ${key32}\n  - identity: {}\n`),
    `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfig\nresources:\n- resources: ["*.apps", configmaps]\n  providers:\n  - aesgcm:\n      keys: [{name: k, secret: ${key16}}]\n`,
    JSON.stringify({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['*.*'], providers: [{ identity: {} }] }] }),
  ];
  for (const text of cases) assert.doesNotThrow(() => parseEncryptionConfiguration(text, '/etc/enc.yaml'), text);
});

test('invalid configurations are refused with upstream messages', () => {
  const cases: Array<{ name: string; text: string; message: string }> = [
    { name: 'empty file', text: '  \n', message: 'error while parsing file: encryption provider configuration file "/etc/enc.yaml" is empty' },
    {
      name: 'wrong kind',
      text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: Policy\n',
      message: 'error while parsing file: error decoding encryption provider configuration file "/etc/enc.yaml": no kind "Policy" is registered for version "apiserver.config.k8s.io/v1" in scheme "k8s.io/apiserver/pkg/server/options/encryptionconfig/config.go"',
    },
    { name: 'no resources', text: head, message: 'error while parsing file: resources: Required value: at least one resources is required' },
    {
      name: 'key of the wrong length',
      text: yamlWith(`- resources: [secrets]\n  providers:\n  - aescbc:\n      keys: [{name: key1, secret: ${Buffer.alloc(10).toString('base64')}}]\n`),
      message: 'error while parsing file: resources[0].providers[0].aescbc.keys[0].secret: Invalid value: "REDACTED": secret is not of the expected length, got 10, expected one of [16 24 32]',
    },
    {
      name: 'not base64, missing name',
      text: yamlWith(`- resources: [secrets]\n  providers:\n  - aesgcm:\n      keys: [{secret: "not base64!"}]\n`),
      message:
        'error while parsing file: [resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory field for a key, resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: "REDACTED": secrets must be base64 encoded]',
    },
    {
      name: 'two providers in one element',
      text: yamlWith(`- resources: [secrets]\n  providers:\n  - identity: {}\n    aesgcm: {keys: [{name: k, secret: ${key16}}]}\n`),
      message: 'more than one provider specified in a single element, should split into different list elements',
    },
    {
      name: 'overlap and star',
      text: yamlWith(`- resources: [secrets, "*.", "*"]\n  providers: [{identity: {}}]\n`),
      message: `resources[0].resources: Invalid value: ["secrets","*.","*"]: using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked, resources[0].resources[2]: Invalid value: "*": use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources`,
    },
    {
      name: 'duplicate, capitals, events.k8s.io',
      text: yamlWith(`- resources: [secrets, secrets, Secrets, events.events.k8s.io]\n  providers: [{identity: {}}]\n`),
      message: 'the same resource cannot be specified multiple times',
    },
    {
      name: 'no providers',
      text: yamlWith(`- resources: [secrets]\n`),
      message: 'resources[0].providers: Required value: at least one resources[0].providers is required',
    },
  ];
  for (const c of cases) {
    assert.throws(() => parseEncryptionConfiguration(c.text, '/etc/enc.yaml'), (err: Error) => {
      assert.ok(err.message.includes(c.message), `${c.name}: ${err.message}`);
      return true;
    });
  }
});

test('kms is refused when building the providers; secretbox encrypts and decrypts', () => {
  const kms = parseEncryptionConfiguration(yamlWith(`- resources: [secrets]\n  providers:\n  - kms:\n      apiVersion: v2\n      name: plugin\n      endpoint: unix:///tmp/kms.sock\n      timeout: 3s\n`), 'f');
  assert.throws(() => transformersFromConfiguration(kms), /resources\[0\]\.providers\[0\]\.kms: the kms provider is not supported by k8ts/);
  const box = parseEncryptionConfiguration(yamlWith(`- resources: [secrets]\n  providers:\n  - secretbox:\n      keys: [{name: k, secret: ${key32}}]\n`), 'f');
  const t = transformersFromConfiguration(box)('', 'secrets')!;
  const stored = t.toStorage('{"kind":"Secret"}', '/registry/secrets/ns/s');
  assert.ok(stored.startsWith('k8s:enc:secretbox:v1:k:'));
  assert.equal(t.fromStorage(stored, '/registry/secrets/ns/s'), '{"kind":"Secret"}');
});

test('resource patterns resolve with upstream precedence: exact, then group wildcard, then *.*', () => {
  const p = (name: string) => `  providers:\n  - aesgcm:\n      keys: [{name: ${name}, secret: ${key16}}]\n`;
  const config = parseEncryptionConfiguration(
    yamlWith(`- resources: ["*.*"]\n${p('all')}- resources: ["*.apps"]\n${p('apps')}- resources: [deployments.apps, secrets]\n${p('exact')}- resources: [secrets]\n${p('ignored')}`),
    'f',
  );
  const transformerFor = transformersFromConfiguration(config);
  const prefixOf = (group: string, resource: string) => transformerFor(group, resource)?.toStorage('{}', '/k').split(':').slice(0, 5).join(':');
  assert.equal(prefixOf('', 'secrets'), 'k8s:enc:aesgcm:v1:exact');
  assert.equal(prefixOf('apps', 'deployments'), 'k8s:enc:aesgcm:v1:exact');
  assert.equal(prefixOf('apps', 'daemonsets'), 'k8s:enc:aesgcm:v1:apps');
  assert.equal(prefixOf('', 'configmaps'), 'k8s:enc:aesgcm:v1:all');
  const onlySecrets = transformersFromConfiguration(parseEncryptionConfiguration(yamlWith(`- resources: [secrets]\n${p('s')}`), 'f'));
  assert.equal(onlySecrets('', 'configmaps'), undefined);
});
