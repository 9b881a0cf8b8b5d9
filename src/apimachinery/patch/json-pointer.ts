// JSON Pointer (RFC 6901): `/spec/containers/0/image`, with `~1` for '/' and `~0` for '~' in tokens.

/** Splits a pointer into unescaped reference tokens; `""` is the whole document. Undefined if malformed. */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The pointer for a list of tokens (the inverse of parsePointer). */
export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** An array index token: `0` or a number without leading zeros. */
export function parseArrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
