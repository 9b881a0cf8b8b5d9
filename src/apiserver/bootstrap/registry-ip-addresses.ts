// The ClusterIP allocator's IPAddress objects, written through the apiserver's own ipaddresses registry so
// `kubectl get ipaddresses` lists them and watchers see them (upstream uses a client the same way).

import { isAlreadyExists, isNotFound } from '../../apimachinery/errors.js';
import type { IPAddress, IPAddressClient } from '../allocators/ip-allocator.js';
import type { Registries } from '../registry/generic/registries.js';

/** `registries` is a getter because allocators are built before the registries exist. */
export function registryIPAddressClient(registries: () => Registries): IPAddressClient {
  const registry = () => {
    const r = registries().get('networking.k8s.io', 'ipaddresses');
    if (!r) throw new Error('the networking.k8s.io ipaddresses resource is not served');
    return r;
  };
  return {
    async create(ip: IPAddress) {
      try {
        await registry().create({ namespace: '', obj: { ...ip } });
        return true;
      } catch (err) {
        if (isAlreadyExists(err)) return false;
        throw err;
      }
    },
    async delete(name: string) {
      try {
        await registry().delete({ namespace: '', name });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    },
    async list() {
      const { items } = await registry().listObjects({ namespace: '' });
      return items as unknown as IPAddress[];
    },
  };
}
