// DefaultBinder: binds a pod by POSTing a Binding to pods/<name>/binding, as upstream's DefaultBinder.
import type { Binding, Pod } from '../../../api/generated/core/v1.js';
import type { CycleState } from '../../framework/cycle-state.js';
import type { BindPlugin, Handle, Plugin } from '../../framework/interface.js';
import { asStatus, type Status } from '../../framework/status.js';
import { DefaultBinder as Name } from '../names.js';

const pods = { group: '', version: 'v1', resource: 'pods' };

export class DefaultBinderPlugin implements BindPlugin {
  readonly name = Name;

  constructor(private readonly handle: Handle) {}

  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status | null> {
    const client = this.handle.clientSet();
    if (!client) return asStatus(new Error('no client to bind with'));
    const meta = pod.metadata ?? {};
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { namespace: meta.namespace, name: meta.name, uid: meta.uid },
      target: { kind: 'Node', name: nodeName },
    };
    try {
      await client.resource(pods, meta.namespace ?? '').createSubresource(meta.name ?? '', 'binding', binding);
      return null;
    } catch (err) {
      return asStatus(err);
    }
  }
}

export function newDefaultBinder(_args: unknown, handle: Handle): Plugin {
  return new DefaultBinderPlugin(handle);
}
