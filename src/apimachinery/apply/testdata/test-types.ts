// Small hand-built apply types for unit tests of the engine (the generated tables are tested in src/api).
import { untypedType, type ApplyType } from '../schema.js';

export const scalar: ApplyType = { kind: 'scalar', atomic: true, fieldType: () => undefined, elementType: () => untypedType };

export function struct(fields: Record<string, ApplyType | (() => ApplyType)>, opts: { atomic?: boolean } = {}): ApplyType {
  return {
    kind: 'struct',
    atomic: opts.atomic ?? false,
    fieldType: (name) => {
      if (!Object.hasOwn(fields, name)) return undefined;
      const f = fields[name]!;
      return typeof f === 'function' ? f() : f;
    },
    elementType: () => untypedType,
  };
}

export function map(values: ApplyType, opts: { atomic?: boolean } = {}): ApplyType {
  return { kind: 'map', atomic: opts.atomic ?? false, fieldType: () => undefined, elementType: () => values };
}

export function list(listType: 'atomic' | 'set' | 'map', items: ApplyType, keys?: string[]): ApplyType {
  return { kind: 'list', atomic: listType === 'atomic', listType, listMapKeys: keys, fieldType: () => undefined, elementType: () => items };
}

const item = struct({ name: scalar, value: scalar, port: scalar, protocol: scalar, args: list('atomic', scalar) });

/** A root with one position of every kind. */
export const testType: ApplyType = struct({
  a: scalar,
  b: scalar,
  labels: map(scalar),
  selector: map(scalar, { atomic: true }),
  strategy: struct({ type: scalar, rolling: struct({ surge: scalar }) }),
  fixed: struct({ x: scalar, y: scalar }, { atomic: true }),
  args: list('atomic', scalar),
  finalizers: list('set', scalar),
  items: list('map', item, ['name']),
  ports: list('map', item, ['port', 'protocol']),
  free: untypedType,
});
