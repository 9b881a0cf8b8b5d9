// Protobuf wire format reading: varints, fixed 32/64-bit values and length-delimited bytes.
// Kubernetes' messages never use zigzag (sint*) encodings; int64 values are returned as numbers.

/** Malformed input; the caller turns it into a 400. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export const wireVarint = 0;
export const wireFixed64 = 1;
export const wireBytes = 2;
export const wireFixed32 = 5;

/** A cursor over one message's bytes. */
export class Reader {
  pos: number;
  readonly end: number;
  private view: DataView | undefined;

  constructor(readonly buf: Uint8Array, start = 0, end = buf.length) {
    this.pos = start;
    this.end = end;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * A varint as a JavaScript number. Values are two's complement 64-bit: 10-byte negative int32/int64
   * values come back negative; magnitudes beyond 2^53 lose precision (never the case for API objects).
   */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    // Low 28 bits, then the rest into `hi`, avoiding 32-bit overflow of JS bitwise operators.
    do {
      if (this.pos >= this.end) throw new WireError('unexpected end of data in varint');
      b = this.buf[this.pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else if (shift < 64) hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if (shift > 70) throw new WireError('varint is too long');
    } while (b & 0x80);
    lo >>>= 0;
    if (hi & 0x80000000) return (hi | 0) * 4294967296 + lo; // negative: hi is the signed high word
    return (hi >>> 0) * 4294967296 + lo;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) throw new WireError('unexpected end of data in fixed32');
    const v = this.dataView().getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  float32(): number {
    if (this.pos + 4 > this.end) throw new WireError('unexpected end of data in float');
    const v = this.dataView().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed64(): DataView {
    if (this.pos + 8 > this.end) throw new WireError('unexpected end of data in fixed64');
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8);
    this.pos += 8;
    return view;
  }

  /** The bounds of a length-delimited value; advances past it. */
  bytes(): { start: number; end: number } {
    const len = this.varint();
    if (len < 0 || this.pos + len > this.end) throw new WireError('length-delimited value runs past the end of its message');
    const start = this.pos;
    this.pos += len;
    return { start, end: this.pos };
  }

  /** Skips a value of the given wire type (unknown fields are ignored, as Go does). */
  skipField(wireType: number): void {
    switch (wireType) {
      case wireVarint:
        this.varint();
        return;
      case wireFixed64:
        this.fixed64();
        return;
      case wireBytes:
        this.bytes();
        return;
      case wireFixed32:
        this.fixed32();
        return;
      default:
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }

  private dataView(): DataView {
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view;
  }
}
