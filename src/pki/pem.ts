// PEM armour (RFC 7468): the text form every certificate, key and CSR file in a cluster uses. Reads the
// files openssl, cfssl and kubeadm write (any line width, CRLF, text around the blocks); writes 64-column blocks.

/** One `-----BEGIN <type>-----` … `-----END <type>-----` block. */
export interface PEMBlock {
  /** e.g. "CERTIFICATE", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "PUBLIC KEY". */
  type: string;
  der: Buffer;
}

/** PEM block types, as upstream's keyutil/certutil name them. */
export const pemTypes = {
  certificate: 'CERTIFICATE',
  certificateRequest: 'CERTIFICATE REQUEST',
  rsaPrivateKey: 'RSA PRIVATE KEY',
  ecPrivateKey: 'EC PRIVATE KEY',
  privateKey: 'PRIVATE KEY',
  publicKey: 'PUBLIC KEY',
  rsaPublicKey: 'RSA PUBLIC KEY',
} as const;

const blockPattern = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/**
 * Every PEM block in `text`, in order. Text outside blocks (openssl's "Bag Attributes", comments) is ignored.
 * Throws for a block with headers (`Proc-Type:`: a legacy encrypted key) or a body that is not base64.
 */
export function decodePEM(text: string | Buffer): PEMBlock[] {
  const s = typeof text === 'string' ? text : text.toString('utf8');
  const blocks: PEMBlock[] = [];
  for (const m of s.matchAll(blockPattern)) {
    const body = m[2]!;
    if (/^[A-Za-z-]+:/m.test(body)) {
      throw new Error(`PEM block ${m[1]} has headers (an encrypted key?); k8ts reads only unencrypted PEM`);
    }
    const base64 = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) throw new Error(`PEM block ${m[1]} is not valid base64`);
    blocks.push({ type: m[1]!, der: Buffer.from(base64, 'base64') });
  }
  return blocks;
}

/** Encodes one block with 64-character lines and a trailing newline, as Go's encoding/pem does. */
export function encodePEM(block: PEMBlock): string {
  const base64 = block.der.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${block.type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${block.type}-----\n`;
}

/** The DER of every CERTIFICATE block in `text` (a bundle: leaf first in a chain file, any order in a CA file). */
export function certificateBlocks(text: string | Buffer): Buffer[] {
  return decodePEM(text)
    .filter((b) => b.type === pemTypes.certificate)
    .map((b) => b.der);
}
