import assert from 'node:assert/strict';
import { test } from 'node:test';
import { re2, RE2SyntaxError } from './re2.js';

const cases: Array<{ pattern: string; match: string[]; noMatch: string[] }> = [
  // Inline flags scoped to their group, as prometheus-operator's CRDs use them.
  { pattern: '^((?i)sun|mon|tues)day$', match: ['Sunday', 'SUNday', 'MONday'], noMatch: ['SUNDAY', 'sunday!', 'Friday'] },
  { pattern: '^(?i)(abort|warn)?$', match: ['ABORT', 'Warn', ''], noMatch: ['stop'] },
  { pattern: '^a(?i:b)c$', match: ['abc', 'aBc'], noMatch: ['ABC', 'abC'] },
  { pattern: '^(a(?i)b)c$', match: ['aBc'], noMatch: ['aBC'] },
  { pattern: '(?i)^[a-c]+$', match: ['AbC'], noMatch: ['abd'] },
  { pattern: '(?s)^a.b$', match: ['a\nb'], noMatch: [] },
  { pattern: '^a.b$', match: ['axb'], noMatch: ['a\nb'] },
  { pattern: '(?m)^b$', match: ['a\nb\nc'], noMatch: ['ab'] },
  // RE2-only syntax.
  { pattern: '(?P<year>\\d{4})-\\d\\d', match: ['2026-11'], noMatch: ['26-11'] },
  { pattern: '\\Aab\\z', match: ['ab'], noMatch: ['ab\n', 'xab'] },
  { pattern: '^\\Q1.5*\\E$', match: ['1.5*'], noMatch: ['105'] },
  { pattern: '^\\pL+$', match: ['abcé'], noMatch: ['ab1'] },
  { pattern: '^[[:alpha:]_][[:alnum:]]*$', match: ['a1', '_x'], noMatch: ['1a'] },
  { pattern: '^\\x{41}\\x42$', match: ['AB'], noMatch: ['ab'] },
  // Characters RE2 takes literally that a unicode-mode RegExp would refuse.
  { pattern: '^a\\:b\\-c$', match: ['a:b-c'], noMatch: ['ab'] },
  { pattern: '^{a}]$', match: ['{a}]'], noMatch: ['a'] },
  { pattern: '^[\\x00-\\x1F]$', match: ['\t'], noMatch: ['a'] },
  // Ordinary patterns are unchanged.
  { pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', match: ['*/5 * * * *'], noMatch: ['nope'] },
];

for (const c of cases) {
  test(`RE2 ${c.pattern}`, () => {
    const re = re2(c.pattern);
    for (const s of c.match) assert.ok(re.test(s), `${JSON.stringify(s)} should match`);
    for (const s of c.noMatch) assert.ok(!re2(c.pattern).test(s), `${JSON.stringify(s)} should not match`);
  });
}

test("what RE2 refuses is refused with Go's wording", () => {
  const refused: Array<[string, RegExp]> = [
    ['a(?=b)', /^error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`$/],
    ['(a)\\1', /^error parsing regexp: invalid escape sequence: `\\1`$/],
    ['(ab', /^error parsing regexp: missing closing \)/],
    ['ab)', /^error parsing regexp: unexpected \)/],
    ['[ab', /^error parsing regexp: missing closing \]/],
    ['a{1001}', /^error parsing regexp: invalid repeat count/],
    ['\\q', /^error parsing regexp: invalid escape sequence: `\\q`$/],
  ];
  for (const [pattern, message] of refused) {
    assert.throws(() => re2(pattern), (err: unknown) => err instanceof RE2SyntaxError && message.test(err.message), pattern);
  }
});

test('octal escapes as RE2 reads them', () => {
  assert.ok(re2('^\\101\\0$').test('A\u0000'));
  assert.throws(() => re2('\\18'), /invalid escape sequence: `\\1`/);
});
