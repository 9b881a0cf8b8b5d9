// Defaulters of resource.k8s.io/v1 dynamic resource allocation objects (upstream
// pkg/apis/resource/v1/defaults.go and the `+default` markers of k8s.io/api/resource/v1).
import { defaultNil, defaultZero, objectAt, objectField, objectItems, type DefaultingContext, type JSONObject } from './fields.js';

function defaultTolerations(parent: JSONObject | undefined): void {
  for (const toleration of objectItems(parent, 'tolerations')) defaultZero(toleration, 'operator', 'Equal');
}

/** ExactDeviceRequest and DeviceSubRequest: exactly one device unless the request says All or a count. */
function defaultDeviceRequest(request: JSONObject): void {
  defaultZero(request, 'allocationMode', 'ExactCount');
  if (request.allocationMode === 'ExactCount') defaultZero(request, 'count', 1);
  defaultTolerations(request);
}

/** The defaults inside a ResourceClaimSpec (claims and claim templates). */
function defaultClaimSpec(spec: JSONObject | undefined): void {
  for (const request of objectItems(objectField(spec, 'devices'), 'requests')) {
    const exactly = objectField(request, 'exactly');
    if (exactly) defaultDeviceRequest(exactly);
    for (const subRequest of objectItems(request, 'firstAvailable')) defaultDeviceRequest(subRequest);
  }
}

export function defaultResourceClaim(obj: JSONObject): void {
  defaultClaimSpec(objectField(obj, 'spec'));
  for (const result of objectItems(objectAt(obj, 'status', 'allocation', 'devices'), 'results')) defaultTolerations(result);
}

export function defaultResourceClaimTemplate(obj: JSONObject): void {
  defaultClaimSpec(objectAt(obj, 'spec', 'spec'));
}

/** Taints record when they were added (to the second); node allocatable mappings multiply by 1. */
export function defaultResourceSlice(obj: JSONObject, ctx: DefaultingContext): void {
  for (const device of objectItems(objectField(obj, 'spec'), 'devices')) {
    for (const taint of objectItems(device, 'taints')) {
      defaultNil(taint, 'timeAdded', new Date(Math.floor(ctx.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    }
    const mappings = objectField(device, 'nodeAllocatableResourceMappings');
    for (const mapping of Object.values(mappings ?? {})) {
      if (mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping)) defaultNil(mapping, 'allocationMultiplier', '1');
    }
  }
}
