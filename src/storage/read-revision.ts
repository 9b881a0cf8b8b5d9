// The revision rules the embedded backends apply to reads: absent/0 means "now", at or below the
// compacted revision is gone, newer than the current revision does not exist yet.
import { StorageError } from './interface.js';

export interface ReadRevisionInput {
  /** What the caller asked for (undefined or 0: the current revision). */
  requested: number | undefined;
  current: number;
  compacted: number;
}

/** The revision to read at. Throws Compacted or FutureRevision (StorageError) when it can't be read. */
export function resolveReadRevision(input: ReadRevisionInput): number {
  const { requested, current, compacted } = input;
  if (requested === undefined || requested === 0) return current;
  if (!Number.isSafeInteger(requested) || requested < 0) {
    throw new StorageError('FutureRevision', `invalid revision ${requested}`, { revision: current });
  }
  if (requested > current) {
    throw new StorageError('FutureRevision', `required revision ${requested} is a future revision (current ${current})`, { revision: current });
  }
  if (requested <= compacted) {
    throw new StorageError('Compacted', `required revision ${requested} has been compacted (compacted ${compacted})`, { revision: compacted });
  }
  return requested;
}
