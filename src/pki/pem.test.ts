// PEM decoding reads what openssl/cfssl write (CRLF, odd widths, text around blocks) and round-trips encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateBlocks, decodePEM, encodePEM } from './pem.js';

test('encodePEM wraps at 64 columns and decodePEM reads it back', () => {
  for (const size of [0, 1, 47, 48, 49, 300]) {
    const der = Buffer.from(Array.from({ length: size }, (_, i) => i & 0xff));
    const text = encodePEM({ type: 'CERTIFICATE', der });
    for (const line of text.split('\n')) assert.ok(line.length <= 64 || line.startsWith('-----'), line);
    assert.deepEqual(decodePEM(text), [{ type: 'CERTIFICATE', der }]);
  }
});

test('decodePEM accepts what tools write around and inside blocks', () => {
  const der = Buffer.from('hello, certificate');
  const b64 = der.toString('base64');
  const cases: Array<{ name: string; text: string; want: string[] }> = [
    { name: 'CRLF line ends', text: `-----BEGIN CERTIFICATE-----\r\n${b64}\r\n-----END CERTIFICATE-----\r\n`, want: ['CERTIFICATE'] },
    { name: 'bag attributes before', text: `Bag Attributes\n  localKeyID: 01\n-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`, want: ['PRIVATE KEY'] },
    { name: 'EC parameters then key', text: `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n-----BEGIN EC PRIVATE KEY-----\n${b64}\n-----END EC PRIVATE KEY-----\n`, want: ['EC PARAMETERS', 'EC PRIVATE KEY'] },
    { name: 'no trailing newline', text: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----`, want: ['CERTIFICATE'] },
    { name: 'no blocks', text: 'just text', want: [] },
  ];
  for (const c of cases) assert.deepEqual(decodePEM(c.text).map((b) => b.type), c.want, c.name);
  assert.deepEqual(certificateBlocks(cases[2]!.text + cases[0]!.text), [der]);
});

test('decodePEM rejects encrypted and corrupt blocks', () => {
  const encrypted = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n';
  assert.throws(() => decodePEM(encrypted), /encrypted key/);
  assert.throws(() => decodePEM('-----BEGIN CERTIFICATE-----\n!!notbase64!!\n-----END CERTIFICATE-----\n'), /not valid base64/);
});

test('property: any bytes and block type survive encode → decode, also with CRLF and re-wrapped lines', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'X509 CRL'), fc.integer({ min: 4, max: 100 }), (bytes, type, width) => {
      const der = Buffer.from(bytes);
      const text = encodePEM({ type, der });
      const base64 = der.toString('base64');
      const rewrapped = `-----BEGIN ${type}-----\r\n${(base64.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join('\r\n')}\r\n-----END ${type}-----\r\n`;
      for (const t of [text, rewrapped]) {
        const blocks = decodePEM(t);
        if (blocks.length !== 1 || blocks[0]!.type !== type || !blocks[0]!.der.equals(der)) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});
