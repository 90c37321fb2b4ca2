/**
 * Hand-made .xlsx (zip) files for the hostile-input tests: a zip writer that can take an entry
 * already deflated (so a sheet that inflates to hundreds of MB is built without ever holding
 * it in memory), and the pieces of a minimal workbook.
 */
import zlib from 'node:zlib';
import { columnLetter } from '../../functions/core/validation-issue.js';

/** One file inside a zip: its bytes, or a stream of chunks deflated on the fly. */
export type ZipEntry = (
  { name: string; data: Buffer | string } | { name: string; chunks: () => Iterable<Buffer | string> }
) & {
  /** An uncompressed size to claim in the headers instead of the true one, as a lying zip bomb does. */
  declaredSize?: number;
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of the zip format; node:zlib's own where this Node has it (20.15+). */
function crc32(data: Buffer, previous = 0): number {
  const native = (zlib as { crc32?: (data: Buffer, value?: number) => number }).crc32;
  if (native) return native(data, previous);
  let crc = ~previous >>> 0;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return ~crc >>> 0;
}

interface Deflated {
  name: Buffer;
  compressed: Buffer;
  crc: number;
  size: number;
}

async function deflate(entry: ZipEntry): Promise<Deflated> {
  const name = Buffer.from(entry.name, 'utf8');
  if ('data' in entry) {
    const bytes = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    return { name, compressed: zlib.deflateRawSync(bytes, { level: 9 }), crc: crc32(bytes), size: bytes.length };
  }
  const stream = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
  let crc = 0;
  let size = 0;
  for (const chunk of entry.chunks()) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8');
    crc = crc32(bytes, crc);
    size += bytes.length;
    if (!stream.write(bytes)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await ended;
  return { name, compressed: Buffer.concat(out), crc, size };
}

/** A zip archive (deflate, no zip64) of the entries, in order. */
export async function zipArchive(entries: readonly ZipEntry[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const { name, compressed, crc, size: trueSize } = await deflate(entry);
    const size = entry.declaredSize ?? trueSize;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressed.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    parts.push(local, name, compressed);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The opening and closing of a worksheet's XML, around its rows. */
export const SHEET_XML_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}"><sheetData>`;
export const SHEET_XML_TAIL = '</sheetData></worksheet>';

/** A row of inline-string cells, in the XML of a worksheet. */
export function sheetRowXml(row: number, texts: readonly string[]): string {
  const cells = texts
    .map((text, i) => `<c r="${columnLetter(i)}${row}" t="inlineStr"><is><t>${escapeXml(text)}</t></is></c>`)
    .join('');
  return `<row r="${row}">${cells}</row>`;
}

/**
 * A minimal .xlsx: the workbook, its relationships and one entry per tab. A tab's `xml` is the
 * whole worksheet XML, or a generator of its chunks (deflated as they come).
 */
export function minimalXlsx(
  tabs: readonly { name: string; xml: string | (() => Iterable<string>) }[],
  options: { declaredSize?: number } = {},
): Promise<Buffer> {
  const sheets = tabs
    .map((tab, i) => `<sheet name="${escapeXml(tab.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  const rels = tabs
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('');
  const overrides = tabs
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}</Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`,
    },
    ...tabs.map((tab, i): ZipEntry =>
      typeof tab.xml === 'string'
        ? { name: `xl/worksheets/sheet${i + 1}.xml`, data: tab.xml }
        : { name: `xl/worksheets/sheet${i + 1}.xml`, chunks: tab.xml, ...options },
    ),
  ]);
}
