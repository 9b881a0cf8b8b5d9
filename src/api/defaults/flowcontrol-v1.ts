// Defaulters of flowcontrol.apiserver.k8s.io/v1 API Priority and Fairness objects (upstream
// pkg/apis/flowcontrol/v1/defaults.go).
import { defaultNil, defaultZero, objectAt, objectField, type JSONObject } from './fields.js';

export const defaultMatchingPrecedence = 1000;
export const defaultNominalConcurrencyShares = 30;

export function defaultFlowSchema(obj: JSONObject): void {
  const spec = objectField(obj, 'spec');
  if (spec) defaultZero(spec, 'matchingPrecedence', defaultMatchingPrecedence);
}

/**
 * Limited levels get 30 nominal shares (an explicit 0 stays: in v1 it builds a "jail") and lend nothing;
 * their queues default to 64 queues, hands of 8 and 50 requests each. Exempt levels get 0 and 0.
 */
export function defaultPriorityLevelConfiguration(obj: JSONObject): void {
  const limited = objectAt(obj, 'spec', 'limited');
  if (limited) {
    defaultNil(limited, 'nominalConcurrencyShares', defaultNominalConcurrencyShares);
    defaultNil(limited, 'lendablePercent', 0);
    const queuing = objectAt(limited, 'limitResponse', 'queuing');
    if (queuing) {
      defaultZero(queuing, 'handSize', 8);
      defaultZero(queuing, 'queues', 64);
      defaultZero(queuing, 'queueLengthLimit', 50);
    }
  }
  const exempt = objectAt(obj, 'spec', 'exempt');
  if (exempt) {
    defaultNil(exempt, 'nominalConcurrencyShares', 0);
    defaultNil(exempt, 'lendablePercent', 0);
  }
}
