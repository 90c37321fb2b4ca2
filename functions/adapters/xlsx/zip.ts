import zlib from 'node:zlib';

/** One part (file inside the zip), from the zip's central directory. */
export interface ZipPart {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localHeader: number;
}

/** An OLE2 compound file: Excel 97–2003 (.xls), or any Office file saved with a password. */
export function isOle2File(bytes: Buffer): boolean {
  return bytes.subarray(0, 8).equals(OLE2_SIGNATURE);
}
const OLE2_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/**
 * The parts listed in a zip's central directory: undefined when there is no readable directory,
 * 'too_many' past `maxParts` (the headers are read while they come, like JSZip does, whatever
 * count the end record claims).
 */
export function zipDirectory(bytes: Buffer, maxParts: number): ZipPart[] | 'too_many' | undefined {
  const END = 0x06054b50;
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === END) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  let offset = bytes.readUInt32LE(end + 16);
  if (offset === 0xffffffff) {
    // Zip64: the end-of-directory locator sits just before the end record.
    const locator = end - 20;
    if (locator < 0 || bytes.readUInt32LE(locator) !== 0x07064b50) return undefined;
    const record = Number(bytes.readBigUInt64LE(locator + 8));
    if (record + 56 > bytes.length || bytes.readUInt32LE(record) !== 0x06064b50) return undefined;
    offset = Number(bytes.readBigUInt64LE(record + 48));
  }
  const parts: ZipPart[] = [];
  while (offset + 46 <= bytes.length && bytes.readUInt32LE(offset) === 0x02014b50) {
    if (parts.length === maxParts) return 'too_many';
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const part: ZipPart = {
      name: bytes.toString('utf8', offset + 46, offset + 46 + nameLength),
      flags: bytes.readUInt16LE(offset + 8),
      method: bytes.readUInt16LE(offset + 10),
      compressedSize: bytes.readUInt32LE(offset + 20),
      size: bytes.readUInt32LE(offset + 24),
      localHeader: bytes.readUInt32LE(offset + 42),
    };
    zip64Sizes(part, bytes.subarray(offset + 46 + nameLength, offset + 46 + nameLength + extraLength));
    parts.push(part);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return parts.length > 0 ? parts : undefined;
}

/** Zip64 keeps sizes and offsets that do not fit 32 bits in extra field 0x0001, in this order. */
function zip64Sizes(part: ZipPart, extra: Buffer): void {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = () => {
        const value =
          field + 8 <= at + 4 + length && field + 8 <= extra.length ? Number(extra.readBigUInt64LE(field)) : 0;
        field += 8;
        return value;
      };
      if (part.size === 0xffffffff) part.size = next();
      if (part.compressedSize === 0xffffffff) part.compressedSize = next();
      if (part.localHeader === 0xffffffff) part.localHeader = next();
      return;
    }
    at += 4 + length;
  }
}

/** Why a part could not be unpacked. */
export type UnpackFailure = 'encrypted' | 'corrupt' | 'too_large';

/**
 * A part's unpacked bytes, inflating no more than `maxBytes` (a zip bomb that lies about its size
 * stops there), or why it could not be had.
 */
export function unpackPart(bytes: Buffer, part: ZipPart, maxBytes: number): Buffer | UnpackFailure {
  if (part.flags & 1) return 'encrypted';
  const start = dataStart(bytes, part);
  if (start === undefined || (part.method !== 0 && part.method !== 8)) return 'corrupt';
  const stored = bytes.subarray(start, start + part.compressedSize);
  if (part.method === 0) return stored.length > maxBytes ? 'too_large' : stored;
  try {
    return zlib.inflateRawSync(stored, { maxOutputLength: Math.max(1, maxBytes + 1) });
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'corrupt';
  }
}

/** Where a part's data begins: after its local header, whose name and extra field may differ from the directory's. */
function dataStart(bytes: Buffer, part: ZipPart): number | undefined {
  const at = part.localHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) return undefined;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  return start + part.compressedSize <= bytes.length ? start : undefined;
}
