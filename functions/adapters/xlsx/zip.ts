import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';

// The zip container of an .xlsx, read with yauzl (its end record, zip64 records, central directory
// and local headers, with their bounds checks); the part data is inflated here with node:zlib,
// which stops at a byte limit, so a zip bomb is never inflated past the budget.

/** One part (file inside the zip), as the zip's central directory lists it. */
export interface ZipPart {
  /** The name as written (in UTF-8, as writers of OPC packages mean it, whatever the flag says). */
  name: string;
  /** The unpacked size the directory claims; a zip bomb may lie, unpacking counts the real bytes. */
  size: number;
  entry: yauzl.Entry;
}

/** Why a part could not be unpacked. */
export type UnpackFailure = 'encrypted' | 'corrupt' | 'too_large';

/** A zip archive held in memory: its parts, and a way to unpack each. */
export interface ZipArchive {
  parts: ZipPart[];
  /**
   * A part's unpacked bytes, inflating no more than `maxBytes` (a zip bomb that lies about its
   * size stops there), or why it could not be had.
   */
  unpack(part: ZipPart, maxBytes: number): Promise<Buffer | UnpackFailure>;
}

/** An OLE2 compound file: Excel 97–2003 (.xls), or any Office file saved with a password. */
export function isOle2File(bytes: Buffer): boolean {
  return bytes.subarray(0, 8).equals(OLE2_SIGNATURE);
}
const OLE2_SIGNATURE = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/**
 * The parts of a zip held in memory: undefined when it has no readable directory (not a zip,
 * truncated, no parts), 'too_many' past `maxParts` (refused from the count in the end record,
 * before any header is read), 'encrypted' when the directory says strong encryption.
 */
export async function openZip(
  bytes: Buffer,
  maxParts: number,
): Promise<ZipArchive | 'too_many' | 'encrypted' | undefined> {
  let zip: yauzl.ZipFile;
  const parts: ZipPart[] = [];
  try {
    // yauzl refuses bytes after the end record (some tools append them); the zip before them is whole.
    bytes = withoutTrailingBytes(bytes);
    zip = await yauzl.fromRandomAccessReaderPromise(new BufferReader(bytes), bytes.length, {
      autoClose: false,
      // Names are decoded below, as they are: yauzl's own decoding refuses a whole file for one
      // absolute or «..» name, and the reader looks parts up by name, never writes them.
      decodeStrings: false,
      // Sizes are checked while unpacking, against the budget, for the parts actually read.
      validateEntrySizes: false,
    });
    if (zip.entryCount > maxParts) return 'too_many';
    for await (const entry of zip.eachEntry()) {
      parts.push({ name: entry.fileNameRaw.toString('utf8'), size: entry.uncompressedSize, entry });
    }
  } catch (error) {
    return /encryption/i.test((error as Error).message) ? 'encrypted' : undefined;
  }
  if (parts.length === 0) return undefined;
  return {
    parts,
    async unpack(part, maxBytes) {
      const { entry } = part;
      if (entry.isEncrypted()) return 'encrypted';
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return 'corrupt';
      let start: number;
      try {
        // Where the data begins: after the local header, whose name and extra field may differ from the directory's.
        start = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
      } catch {
        return 'corrupt';
      }
      const stored = bytes.subarray(start, start + entry.compressedSize);
      if (entry.compressionMethod === 0) return stored.length > maxBytes ? 'too_large' : stored;
      try {
        return zlib.inflateRawSync(stored, { maxOutputLength: Math.max(1, maxBytes + 1) });
      } catch (error) {
        return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'corrupt';
      }
    },
  };
}

/** The zip up to the end of its end record (the last one within the comment's reach of the end). */
function withoutTrailingBytes(bytes: Buffer): Buffer {
  const END = 0x06054b50;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) !== END) continue;
    const end = at + 22 + bytes.readUInt16LE(at + 20);
    return end < bytes.length ? bytes.subarray(0, end) : bytes;
  }
  return bytes;
}

/**
 * yauzl's view of a buffer. Its own (fromBuffer) answers every read a macrotask later, which is
 * about a tenth of the reading time of a small workbook; this one answers on the next tick.
 */
class BufferReader extends yauzl.RandomAccessReader {
  constructor(private readonly bytes: Buffer) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from([this.bytes.subarray(start, end)]);
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    // Like fs.read: as many bytes as there are, and how many, later.
    const count = Math.max(0, Math.min(length, buffer.length - offset, this.bytes.length - position));
    if (count > 0) this.bytes.copy(buffer, offset, position, position + count);
    process.nextTick(callback as (err: Error | null, bytesRead: number) => void, null, count);
  }
}
