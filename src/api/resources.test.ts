// Checks the served-resource table against facts of a real 1.36 apiserver's discovery documents.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preferredVersion, resourceFor, resources, resourcesForKind, storageResourceFor } from './resources.js';

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

test('resources: scope, kind and verbs', () => {
  const cases: Array<{ gvr: [string, string, string]; kind: string; namespaced: boolean; verbs: string[] }> = [
    { gvr: ['', 'v1', 'pods'], kind: 'Pod', namespaced: true, verbs: allVerbs },
    { gvr: ['', 'v1', 'nodes'], kind: 'Node', namespaced: false, verbs: allVerbs },
    { gvr: ['', 'v1', 'namespaces'], kind: 'Namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
    { gvr: ['', 'v1', 'bindings'], kind: 'Binding', namespaced: true, verbs: ['create'] },
    { gvr: ['', 'v1', 'componentstatuses'], kind: 'ComponentStatus', namespaced: false, verbs: ['get', 'list'] },
    { gvr: ['apps', 'v1', 'deployments'], kind: 'Deployment', namespaced: true, verbs: allVerbs },
    { gvr: ['authentication.k8s.io', 'v1', 'selfsubjectreviews'], kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
    { gvr: ['authentication.k8s.io', 'v1', 'tokenreviews'], kind: 'TokenReview', namespaced: false, verbs: ['create'] },
    { gvr: ['authorization.k8s.io', 'v1', 'localsubjectaccessreviews'], kind: 'LocalSubjectAccessReview', namespaced: true, verbs: ['create'] },
    { gvr: ['authorization.k8s.io', 'v1', 'subjectaccessreviews'], kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'] },
    { gvr: ['autoscaling', 'v2', 'horizontalpodautoscalers'], kind: 'HorizontalPodAutoscaler', namespaced: true, verbs: allVerbs },
    { gvr: ['rbac.authorization.k8s.io', 'v1', 'clusterroles'], kind: 'ClusterRole', namespaced: false, verbs: allVerbs },
    { gvr: ['storage.k8s.io', 'v1', 'csistoragecapacities'], kind: 'CSIStorageCapacity', namespaced: true, verbs: allVerbs },
  ];
  for (const c of cases) {
    const r = resourceFor(...c.gvr);
    assert.ok(r, c.gvr.join('/'));
    assert.equal(r.kind, c.kind);
    assert.equal(r.listKind, `${c.kind}List`);
    assert.equal(r.singular, c.kind.toLowerCase());
    assert.equal(r.namespaced, c.namespaced, c.gvr.join('/'));
    assert.deepEqual(r.verbs, c.verbs, c.gvr.join('/'));
  }
});

test('resources: subresources', () => {
  const cases: Array<{ gvr: [string, string, string]; name: string; kind: string; group?: string; version?: string; verbs: string[] }> = [
    { gvr: ['', 'v1', 'pods'], name: 'log', kind: 'Pod', verbs: ['get'] },
    { gvr: ['', 'v1', 'pods'], name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { gvr: ['', 'v1', 'pods'], name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { gvr: ['', 'v1', 'pods'], name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    { gvr: ['', 'v1', 'pods'], name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    { gvr: ['', 'v1', 'pods'], name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { gvr: ['', 'v1', 'pods'], name: 'binding', kind: 'Binding', verbs: ['create'] },
    { gvr: ['', 'v1', 'pods'], name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { gvr: ['', 'v1', 'pods'], name: 'resize', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { gvr: ['', 'v1', 'pods'], name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { gvr: ['', 'v1', 'serviceaccounts'], name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
    { gvr: ['', 'v1', 'namespaces'], name: 'finalize', kind: 'Namespace', verbs: ['update'] },
    { gvr: ['', 'v1', 'replicationcontrollers'], name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    { gvr: ['apps', 'v1', 'deployments'], name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    { gvr: ['apps', 'v1', 'statefulsets'], name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
    { gvr: ['certificates.k8s.io', 'v1', 'certificatesigningrequests'], name: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] },
  ];
  for (const c of cases) {
    const sub = resourceFor(...c.gvr)?.subresources.find((s) => s.name === c.name);
    assert.ok(sub, `${c.gvr.join('/')}/${c.name}`);
    assert.deepEqual(sub, { name: c.name, kind: c.kind, verbs: c.verbs, ...(c.group === undefined ? {} : { group: c.group, version: c.version }) });
  }
  assert.deepEqual(resourceFor('', 'v1', 'configmaps')?.subresources, []);
});

test('resources: short names and categories as upstream', () => {
  const cases: Array<{ gvr: [string, string, string]; shortNames: string[]; categories: string[] }> = [
    { gvr: ['', 'v1', 'pods'], shortNames: ['po'], categories: ['all'] },
    { gvr: ['', 'v1', 'services'], shortNames: ['svc'], categories: ['all'] },
    { gvr: ['', 'v1', 'limitranges'], shortNames: ['limits'], categories: [] },
    { gvr: ['', 'v1', 'resourcequotas'], shortNames: ['quota'], categories: [] },
    { gvr: ['', 'v1', 'secrets'], shortNames: [], categories: [] },
    { gvr: ['apps', 'v1', 'deployments'], shortNames: ['deploy'], categories: ['all'] },
    { gvr: ['batch', 'v1', 'jobs'], shortNames: [], categories: ['all'] },
    { gvr: ['autoscaling', 'v1', 'horizontalpodautoscalers'], shortNames: ['hpa'], categories: ['all'] },
    { gvr: ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions'], shortNames: ['crd', 'crds'], categories: ['api-extensions'] },
    { gvr: ['events.k8s.io', 'v1', 'events'], shortNames: ['ev'], categories: [] },
  ];
  for (const c of cases) {
    const r = resourceFor(...c.gvr);
    assert.deepEqual(r?.shortNames, c.shortNames, c.gvr.join('/'));
    assert.deepEqual(r?.categories, c.categories, c.gvr.join('/'));
  }
  const seen = new Map<string, string>();
  for (const r of resources) {
    for (const s of r.shortNames) {
      const owner = `${r.group}/${r.plural}`;
      // A short name belongs to one resource (core and events.k8s.io events share "ev", as upstream).
      const other = seen.get(s);
      if (other && other !== owner && !(s === 'ev' && r.plural === 'events')) assert.fail(`short name ${s} used by ${other} and ${owner}`);
      seen.set(s, owner);
    }
  }
});

test('resources: only GA versions, upstream group order, preferred and storage versions', () => {
  for (const r of resources) assert.match(r.version, /^v\d+$/);
  const groups = [...new Set(resources.map((r) => r.group))];
  assert.deepEqual(groups.slice(0, 4), ['', 'apiregistration.k8s.io', 'apps', 'events.k8s.io']);
  assert.equal(preferredVersion('autoscaling'), 'v2');
  assert.equal(preferredVersion('apps'), 'v1');
  assert.equal(preferredVersion('extensions'), undefined);
  assert.deepEqual(resourcesForKind('autoscaling', 'HorizontalPodAutoscaler').map((r) => r.version), ['v2', 'v1']);
  const cases: Array<[[string, string, string], string]> = [
    [['autoscaling', 'v1', 'horizontalpodautoscalers'], 'autoscaling/v2/horizontalpodautoscalers'],
    [['autoscaling', 'v2', 'horizontalpodautoscalers'], 'autoscaling/v2/horizontalpodautoscalers'],
    [['events.k8s.io', 'v1', 'events'], '/v1/events'],
    [['apps', 'v1', 'deployments'], 'apps/v1/deployments'],
  ];
  for (const [served, stored] of cases) {
    const s = storageResourceFor(resourceFor(...served)!);
    assert.equal(`${s.group}/${s.version}/${s.plural}`, stored);
  }
});
