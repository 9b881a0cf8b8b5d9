// Hand-written strategic merge patch cases, one per directive and list strategy plus upstream's errors. The
// apimachinery tests run them on a hand-written schema; src/api runs them on the generated one and kubectl.
import type { JSONObject, JSONValue } from '../../json-value.js';

const pod = (spec: JSONObject, metadata: JSONObject = {}): JSONObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec });
const containers = (...names: string[]) => names.map((name) => ({ name, image: 'img' }));

export interface ApplyCase {
  name: string;
  original: JSONObject;
  patch: JSONValue;
  /** The kind the object is (default: pod). */
  kind?: 'pod' | 'deployment' | 'pdb';
  want?: JSONObject;
  wantError?: { code: number; message: string };
}

export const applyCases: ApplyCase[] = [
  { name: 'maps merge, null deletes a key', original: pod({ containers: containers('a') }, { labels: { a: '1', b: '2' } }), patch: { metadata: { labels: { b: null, c: '3' } } }, want: pod({ containers: containers('a') }, { labels: { a: '1', c: '3' } }) },
  { name: 'null for an absent key is dropped', original: pod({ containers: containers('a') }), patch: { spec: { hostname: null } }, want: pod({ containers: containers('a') }) },
  { name: '$patch: replace inside a map', original: pod({ containers: containers('a'), nodeSelector: { a: 'x', b: 'y' } }), patch: { spec: { nodeSelector: { $patch: 'replace', c: 'z' } } }, want: pod({ containers: containers('a'), nodeSelector: { c: 'z' } }) },
  { name: '$patch: delete inside a map empties it', original: pod({ containers: containers('a') }, { labels: { a: '1' } }), patch: { metadata: { labels: { $patch: 'delete' } } }, want: pod({ containers: containers('a') }, { labels: {} }) },
  {
    name: 'merge list by key: merge, then items only in the patch come first',
    original: pod({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] }),
    patch: { spec: { containers: [{ name: 'b', image: '2' }, { name: 'c', image: '3' }] } },
    want: pod({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }, { name: 'c', image: '3' }] }),
  },
  { name: 'new item before server-only items', original: pod({ containers: containers('a', 'b') }), patch: { spec: { containers: [{ name: 'c', image: 'img' }] } }, want: pod({ containers: containers('c', 'a', 'b') }) },
  { name: '$patch: delete removes a list item', original: pod({ containers: containers('a', 'b') }), patch: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } }, want: pod({ containers: containers('b') }) },
  { name: '$patch: replace replaces the list', original: pod({ containers: containers('a', 'b') }), patch: { spec: { containers: [{ name: 'c', image: 'img' }, { $patch: 'replace' }] } }, want: pod({ containers: containers('c') }) },
  { name: '$setElementOrder reorders', original: pod({ containers: containers('a', 'b', 'c') }), patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } }, want: pod({ containers: containers('c', 'a', 'b') }) },
  {
    name: '$setElementOrder: a server-only item goes before the first patch item it precedes live',
    original: pod({ containers: containers('a', 'sidecar', 'b') }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'b', image: 'new' }] } },
    want: pod({ containers: [{ name: 'sidecar', image: 'img' }, { name: 'b', image: 'new' }, { name: 'a', image: 'img' }] }),
  },
  {
    // Upstream orders server-only items by the live list *after* its in-place delete and append: c took b's slot.
    name: 'replacing a container: the server-only one ends up before the new one',
    original: pod({ containers: containers('a', 'b', 'sidecar') }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'c' }], containers: [{ name: 'c', image: 'img' }, { name: 'b', $patch: 'delete' }] } },
    want: pod({ containers: containers('a', 'sidecar', 'c') }),
  },
  { name: 'primitive merge list is a union', original: pod({ containers: containers('a') }, { finalizers: ['x', 'y'] }), patch: { metadata: { finalizers: ['y', 'z'] } }, want: pod({ containers: containers('a') }, { finalizers: ['x', 'y', 'z'] }) },
  { name: '$deleteFromPrimitiveList', original: pod({ containers: containers('a') }, { finalizers: ['x', 'y', 'z'] }), patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['y'] } }, want: pod({ containers: containers('a') }, { finalizers: ['x', 'z'] }) },
  { name: '$setElementOrder of a primitive list', original: pod({ containers: containers('a') }, { finalizers: ['x', 'y'] }), patch: { metadata: { finalizers: ['z'], '$setElementOrder/finalizers': ['z', 'y', 'x'] } }, want: pod({ containers: containers('a') }, { finalizers: ['z', 'y', 'x'] }) },
  {
    name: '$retainKeys clears a volume source',
    original: pod({ containers: containers('a'), volumes: [{ name: 'v', emptyDir: {} }] }),
    patch: { spec: { volumes: [{ name: 'v', hostPath: { path: '/tmp' }, $retainKeys: ['hostPath', 'name'] }] } },
    want: pod({ containers: containers('a'), volumes: [{ name: 'v', hostPath: { path: '/tmp' } }] }),
  },
  { name: 'lists without a strategy are replaced', original: pod({ containers: [{ name: 'a', image: 'i', args: ['x', 'y'] }], tolerations: [{ key: 'k' }] }), patch: { spec: { containers: [{ name: 'a', args: ['z'] }], tolerations: [] } }, want: pod({ containers: [{ name: 'a', image: 'i', args: ['z'] }], tolerations: [] }) },
  {
    name: 'ports merge on containerPort alone (TCP and UDP on one port collide)',
    original: pod({ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] }] }),
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }] }] } },
    want: pod({ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'UDP' }] }] }),
  },
  {
    name: 'a new subtree loses its nulls and $patch maps',
    original: pod({ containers: containers('a') }),
    patch: { spec: { affinity: { nodeAffinity: null, podAffinity: { $patch: 'delete' }, podAntiAffinity: {} } } },
    want: pod({ containers: containers('a'), affinity: { podAntiAffinity: {} } }),
  },
  { name: 'a field unknown to the schema takes the patch value', original: pod({ containers: containers('a') }), patch: { spec: { foo: { bar: 1 } } }, want: pod({ containers: containers('a'), foo: { bar: 1 } }) },
  { name: 'a null patch changes nothing', original: pod({ containers: containers('a') }), patch: null, want: pod({ containers: containers('a') }) },
  {
    name: 'patchStrategy replace: PodDisruptionBudget selector',
    kind: 'pdb',
    original: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } } },
    patch: { spec: { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } } },
    want: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } } },
  },
  {
    name: 'kubectl apply of a changed Deployment (the wire notes example)',
    kind: 'deployment',
    original: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } },
        template: {
          spec: {
            containers: [{ name: 'a', image: 'i', args: ['x'], env: [{ name: 'E1', value: '1' }, { name: 'E2', value: '2' }], volumeMounts: [{ name: 'v1', mountPath: '/a' }] }, { name: 'b', image: 'i' }],
            volumes: [{ name: 'v1', emptyDir: {} }, { name: 'v2', emptyDir: {} }],
          },
        },
      },
    },
    patch: {
      spec: {
        strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' },
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'a' }],
            '$setElementOrder/volumes': [{ name: 'v1' }],
            containers: [{ '$setElementOrder/env': [{ name: 'E2' }], args: ['y'], env: [{ $patch: 'delete', name: 'E1' }], name: 'a', volumeMounts: null }, { $patch: 'delete', name: 'b' }],
            volumes: [{ $retainKeys: ['hostPath', 'name'], emptyDir: null, hostPath: { path: '/tmp' }, name: 'v1' }, { $patch: 'delete', name: 'v2' }],
          },
        },
      },
    },
    want: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        strategy: { type: 'Recreate' },
        template: { spec: { containers: [{ name: 'a', image: 'i', args: ['y'], env: [{ name: 'E2', value: '2' }] }], volumes: [{ name: 'v1', hostPath: { path: '/tmp' } }] } },
      },
    },
  },
  // Errors: upstream's messages; 400 for malformed directives, 422 for lists of lists, 500 for the rest.
  { name: 'unknown $patch in a map', original: pod({ containers: containers('a') }), patch: { spec: { $patch: 'bogus' } }, wantError: { code: 500, message: 'unknown patch type: bogus in map: map[$patch:bogus]' } },
  { name: 'list item without its merge key', original: pod({ containers: containers('a') }), patch: { spec: { containers: [{ image: 'x' }] } }, wantError: { code: 500, message: 'map: map[image:x] does not contain declared merge key: name' } },
  { name: '$patch: merge in a list', original: pod({ containers: containers('a') }), patch: { spec: { containers: [{ name: 'a', $patch: 'merge' }] } }, wantError: { code: 500, message: 'merging lists cannot yet be specified in the patch' } },
  { name: '$retainKeys that is not a list', original: pod({ containers: containers('a'), volumes: [{ name: 'v', emptyDir: {} }] }), patch: { spec: { volumes: [{ name: 'v', $retainKeys: 'name' }] } }, wantError: { code: 400, message: 'invalid patch format of retainKeys' } },
  { name: 'a patched field missing from $retainKeys', original: pod({ containers: containers('a'), volumes: [{ name: 'v', emptyDir: {} }] }), patch: { spec: { volumes: [{ name: 'v', hostPath: { path: '/' }, $retainKeys: ['name'] }] } }, wantError: { code: 400, message: 'invalid patch format of retainKeys' } },
  {
    name: '$setElementOrder contradicting the patch',
    original: pod({ containers: containers('a', 'b') }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'x' }] } },
    wantError: { code: 500, message: "The order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]\n" },
  },
  { name: 'malformed $setElementOrder key', original: pod({ containers: containers('a') }), patch: { spec: { '$setElementOrderX/containers': [] } }, wantError: { code: 400, message: 'invalid patch format of setElementOrder list' } },
  { name: 'malformed $deleteFromPrimitiveList key', original: pod({ containers: containers('a') }, { finalizers: ['x'] }), patch: { metadata: { $deleteFromPrimitiveList: ['x'] } }, wantError: { code: 400, message: 'invalid patch format of primitive list' } },
  { name: 'a list of lists', original: pod({ containers: containers('a') }, { finalizers: [] }), patch: { metadata: { finalizers: [['y']] } }, wantError: { code: 422, message: 'the server rejected our request due to an error in our request' } },
  { name: 'mixed element types', original: pod({ containers: containers('a') }, { finalizers: ['x'] }), patch: { metadata: { finalizers: [1] } }, wantError: { code: 500, message: 'list element types are not identical: [[x] [1]]' } },
  { name: 'an unknown field holding a map on both sides', original: pod({ containers: containers('a'), foo: { a: 1 } }), patch: { spec: { foo: { b: 2 } } }, wantError: { code: 500, message: 'unable to find api field in struct PodSpec for the json field "foo"' } },
  { name: 'a patch that is not an object', original: pod({ containers: containers('a') }), patch: [1], wantError: { code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' } },
];

