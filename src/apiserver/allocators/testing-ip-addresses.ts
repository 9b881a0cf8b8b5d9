// An IPAddressClient over a Store key per IP, for allocator tests that need create-if-absent semantics
// shared by several allocators (as several apiservers share one etcd).

import { isStorageError, type Store } from '../../storage/interface.js';
import type { IPAddress, IPAddressClient } from './ip-allocator.js';

export function storeIPAddressClient(store: Store, prefix = '/test/ipaddresses/'): IPAddressClient {
  return {
    async create(ip: IPAddress) {
      try {
        await store.create(prefix + ip.metadata.name, JSON.stringify(ip));
        return true;
      } catch (err) {
        if (isStorageError(err, 'AlreadyExists')) return false;
        throw err;
      }
    },
    async delete(name: string) {
      try {
        await store.delete(prefix + name);
      } catch (err) {
        if (!isStorageError(err, 'NotFound')) throw err;
      }
    },
    async list() {
      const res = await store.list({ prefix });
      return res.kvs.map((kv) => JSON.parse(kv.value) as IPAddress);
    },
  };
}
