// Table tests of spec.affinity validation: upstream's field paths, types and messages per mistake; a valid
// affinity using every part gives nothing.
import { runPodSpecCases } from './validation-test-table.js';

runPodSpecCases([
  {
    name: 'valid node, pod and anti-affinity: preferred terms may hold values that are not label values',
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'topology.kubernetes.io/zone', operator: 'In', values: [ 'a', 'b' ] },
                  { key: 'gpu', operator: 'Exists' },
                  { key: 'cores', operator: 'Gt', values: [ '4' ] }
                ],
                matchFields: [ { key: 'metadata.name', operator: 'In', values: [ 'node-1' ] } ]
              }
            ]
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 50,
              preference: {
                matchExpressions: [ { key: 'disk', operator: 'In', values: [ 'not a label value' ] } ]
              }
            }
          ]
        },
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: { app: 'db' } },
              namespaces: [ 'prod' ],
              topologyKey: 'kubernetes.io/hostname'
            }
          ]
        },
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                labelSelector: {
                  matchExpressions: [ { key: 'app', operator: 'In', values: [ 'web' ] } ]
                },
                namespaceSelector: {},
                matchLabelKeys: [ 'pod-template-hash' ],
                mismatchLabelKeys: [ 'tenant' ],
                topologyKey: 'topology.kubernetes.io/zone'
              }
            }
          ]
        }
      }
    },
    want: [],
  },
  {
    name: 'required node affinity needs a term',
    spec: {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } }
    },
    want: [
      'FieldValueRequired spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term',
    ],
  },
  {
    name: 'node selector requirements: values per operator, operator, key, label values',
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  { key: 'a', operator: 'In' },
                  { key: 'b', operator: 'Exists', values: [ 'x' ] },
                  { key: 'c', operator: 'Gt', values: [ '1', '2' ] },
                  { key: 'd', operator: 'Near', values: [ 'x' ] },
                  { key: 'bad key', operator: 'In', values: [ 'ok' ] },
                  { key: 'e', operator: 'In', values: [ 'bad value!' ] }
                ]
              }
            ]
          }
        }
      }
    },
    want: [
      "FieldValueRequired spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "FieldValueForbidden spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      "FieldValueRequired spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
      'FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].operator: Invalid value: "Near": not a valid selector operator',
      "FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[4].key: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[5].values[0]: Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  },
  {
    name: 'matchFields: only metadata.name, In/NotIn with one node name',
    spec: {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              {
                matchFields: [
                  { key: 'spec.nodeName', operator: 'In', values: [ 'n' ] },
                  { key: 'metadata.name', operator: 'Exists' },
                  { key: 'metadata.name', operator: 'NotIn', values: [ 'a', 'b' ] },
                  { key: 'metadata.name', operator: 'In', values: [ 'Node_1' ] }
                ]
              }
            ]
          }
        }
      }
    },
    want: [
      'FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Invalid value: "spec.nodeName": not a valid field selector key',
      'FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[1].operator: Invalid value: "Exists": not a valid selector operator',
      "FieldValueRequired spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[2].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
      "FieldValueInvalid spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[3].values[0]: Invalid value: \"Node_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  },
  {
    name: 'preferred weights are 1-100',
    spec: {
      affinity: {
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [ { weight: 0, preference: {} } ] },
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [ { weight: 101, podAffinityTerm: { topologyKey: 'zone' } } ]
        }
      }
    },
    want: [
      'FieldValueInvalid spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100',
      'FieldValueInvalid spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100',
    ],
  },
  {
    name: "pod affinity terms: selector, namespaces, topologyKey, matchLabelKeys/mismatchLabelKeys (with upstream's index-only path)",
    spec: {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchExpressions: [ { key: 'app', operator: 'Near' } ] },
              namespaces: [ 'Prod' ]
            },
            { matchLabelKeys: [ 'app' ], topologyKey: 'zone' },
            {
              labelSelector: { matchLabels: { app: 'x' }, matchExpressions: [ { key: 'app', operator: 'Exists' } ] },
              matchLabelKeys: [ 'app' ],
              mismatchLabelKeys: [ 'app' ],
              topologyKey: 'zone'
            }
          ]
        }
      }
    },
    want: [
      'FieldValueInvalid spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      "FieldValueInvalid spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespace: Invalid value: \"Prod\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      'FieldValueRequired spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
      'FieldValueInvalid spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must be non-empty',
      "FieldValueInvalid spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      'FieldValueForbidden spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[1].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
      'FieldValueInvalid spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[2][0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector',
      'FieldValueInvalid spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[2].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and mismatchLabelKeys',
    ],
  },
]);
