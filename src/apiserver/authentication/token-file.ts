// --token-auth-file (upstream tokenfile): a CSV of static bearer tokens, `token,user,uid[,"group1,group2"]`,
// read once at start.

import { readFile } from 'node:fs/promises';
import { klog } from '../../base/logger.js';
import type { AuthenticationResult, TokenAuthenticator, UserInfo } from './interface.js';

const log = klog.withName('token-file.ts');

/**
 * Splits CSV text into records as Go's encoding/csv does: comma-separated fields, double-quoted fields may
 * hold commas, newlines and doubled quotes, blank lines are skipped, a trailing \r is dropped. Throws on a
 * bare or unterminated quote, naming the line.
 */
export function parseCSV(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const start = line;
        i++;
        for (;;) {
          if (i >= n) throw new Error(`record on line ${start}; parse error on line ${line}: extraneous or missing " in quoted-field`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          throw new Error(`parse error on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new Error(`parse error on line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
      }
      record.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    records.push(record);
  }
  return records;
}

/** Static tokens: token → user. */
export class TokenFileAuthenticator implements TokenAuthenticator {
  constructor(private readonly tokens: ReadonlyMap<string, UserInfo>) {}

  /** Parses the file's text; throws with upstream's message for a record of fewer than 3 columns. */
  static fromCSV(text: string, path: string): TokenFileAuthenticator {
    const tokens = new Map<string, UserInfo>();
    let recordNum = 0;
    for (const record of parseCSV(text.replace(/^\uFEFF/, ''))) {
      if (record.length < 3) throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
      recordNum++;
      if (record[0] === '') {
        log.warning(`empty token has been found in token file '${path}', record number '${recordNum}'`);
        continue;
      }
      if (tokens.has(record[0])) log.warning(`duplicate token has been found in token file '${path}', record number '${recordNum}'`);
      const user: UserInfo = { name: record[1], uid: record[2], groups: record.length >= 4 ? record[3].split(',') : [] };
      tokens.set(record[0], user);
    }
    return new TokenFileAuthenticator(tokens);
  }

  static async fromFile(path: string): Promise<TokenFileAuthenticator> {
    return TokenFileAuthenticator.fromCSV(await readFile(path, 'utf8'), path);
  }

  async authenticateToken(token: string): Promise<AuthenticationResult> {
    const user = this.tokens.get(token);
    // Each caller gets its own copy: later stages (the authenticated-group adder) extend groups.
    return user ? { user: { ...user, groups: [...user.groups] } } : undefined;
  }
}
