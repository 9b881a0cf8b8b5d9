// Table tests of spec.topologySpreadConstraints validation: upstream's field paths, types and messages per
// mistake; valid constraints give nothing.
import { runPodSpecCases } from './validation-test-table.js';

runPodSpecCases([
  {
    name: 'valid constraints: two keys, minDomains with DoNotSchedule, policies, matchLabelKeys beside a selector',
    spec: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          minDomains: 3,
          nodeAffinityPolicy: 'Honor',
          nodeTaintsPolicy: 'Ignore',
          labelSelector: { matchLabels: { app: 'web' } },
          matchLabelKeys: [ 'pod-template-hash' ]
        },
        { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }
      ]
    },
    want: [],
  },
  {
    name: 'maxSkew, topologyKey, whenUnsatisfiable',
    spec: { topologySpreadConstraints: [ { maxSkew: 0, topologyKey: '', whenUnsatisfiable: 'Sometimes' } ] },
    want: [
      'FieldValueInvalid spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero',
      'FieldValueRequired spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty',
      'FieldValueNotSupported spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "Sometimes": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ],
  },
  {
    name: 'a repeated {topologyKey, whenUnsatisfiable} pair is reported on the first',
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }
      ]
    },
    want: [
      'FieldValueDuplicate spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"',
    ],
  },
  {
    name: 'minDomains positive and only with DoNotSchedule',
    spec: {
      topologySpreadConstraints: [ { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 0 } ]
    },
    want: [
      'FieldValueInvalid spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero',
      'FieldValueInvalid spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
    ],
  },
  {
    name: 'node inclusion policies, matchLabelKeys without or repeating the selector, a bad selector',
    spec: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'zone',
          whenUnsatisfiable: 'DoNotSchedule',
          nodeAffinityPolicy: 'Always',
          nodeTaintsPolicy: 'honor',
          matchLabelKeys: [ 'app' ]
        },
        {
          maxSkew: 1,
          topologyKey: 'host',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' }, matchExpressions: [ { key: 'tier', operator: 'In' } ] },
          matchLabelKeys: [ 'app', 'bad key' ]
        }
      ]
    },
    want: [
      'FieldValueNotSupported spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: "Always": supported values: "Honor", "Ignore"',
      'FieldValueNotSupported spec.topologySpreadConstraints[0].nodeTaintsPolicy: Unsupported value: "honor": supported values: "Honor", "Ignore"',
      'FieldValueForbidden spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
      'FieldValueInvalid spec.topologySpreadConstraints[1].matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector',
      "FieldValueInvalid spec.topologySpreadConstraints[1].matchLabelKeys[1]: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "FieldValueRequired spec.topologySpreadConstraints[1].labelSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
  },
]);
