import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultEndpointSlice } from './discovery-v1.js';
import type { JSONObject } from './fields.js';

test('EndpointSlice ports are named "" and TCP unless they say otherwise', () => {
  const slice: JSONObject = {
    addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.4'] }],
    ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }],
  };
  defaultEndpointSlice(slice);
  assert.deepEqual(slice.ports, [{ port: 80, name: '', protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }]);
});
