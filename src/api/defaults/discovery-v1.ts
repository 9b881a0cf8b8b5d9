// Defaulters of discovery.k8s.io/v1 (upstream pkg/apis/discovery/v1/defaults.go).
import { defaultNil, objectItems, type JSONObject } from './fields.js';

/** An EndpointSlice port is unnamed ("", shown as such) and TCP unless it says otherwise. */
export function defaultEndpointSlice(obj: JSONObject): void {
  for (const port of objectItems(obj, 'ports')) {
    defaultNil(port, 'name', '');
    defaultNil(port, 'protocol', 'TCP');
  }
}
