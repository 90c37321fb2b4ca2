/**
 * The same workbook (tests/fixtures/writers/libreoffice.xlsx: dates, percents, hyperlinks, merged
 * cells) in the zip containers other programs write — data descriptors with and without their
 * signature, zip64 records, stored parts, bytes after the end record, an archive comment, another
 * part order — read exactly as the original; and the unpacked-size limit holding on a zip64 bomb
 * with data descriptors. The files are made by scripts/make-zip-variants.py (tests/fixtures/zip-variants);
 * each is first checked, in its raw bytes, to really be the variant it is named after.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readXlsxWorkbook } from '../../functions/adapters/xlsx/workbook-file.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import { InfrastructureError } from '../../functions/errors.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const ORIGINAL = path.join(FIXTURES, 'writers', 'libreoffice.xlsx');
const VARIANTS = path.join(FIXTURES, 'zip-variants');

/** What one entry of a zip is, read from its directory entry and local header. */
interface EntryFacts {
  name: string;
  method: number;
  /** General-purpose flag bit 3: CRC and sizes in a data descriptor after the data. */
  descriptor: boolean;
  /** The descriptor starts with its optional signature PK\x07\x08. */
  signedDescriptor: boolean;
  zip64Local: boolean;
  zip64Central: boolean;
  uncompressedSize: number;
}
interface ZipFacts {
  entries: EntryFacts[];
  /** A zip64 end-of-central-directory locator before the end record, pointing at a zip64 end record. */
  zip64End: boolean;
  comment: string;
  /** Bytes after the end record and its comment. */
  trailing: number;
}

const ZIP64_EXTRA = 0x0001;

/** The extra fields of a header, by id. */
function extraFields(extra: Buffer): Map<number, Buffer> {
  const fields = new Map<number, Buffer>();
  for (let i = 0; i + 4 <= extra.length; i += 4 + extra.readUInt16LE(i + 2)) {
    fields.set(extra.readUInt16LE(i), extra.subarray(i + 4, i + 4 + extra.readUInt16LE(i + 2)));
  }
  return fields;
}

/** The container facts of a zip, read here field by field (not by the reader under test). */
function zipFacts(bytes: Buffer): ZipFacts {
  const end = bytes.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  const commentLength = bytes.readUInt16LE(end + 20);
  const zip64End = end >= 20 && bytes.readUInt32LE(end - 20) === 0x07064b50;
  let count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  if (zip64End) {
    const end64 = Number(bytes.readBigUInt64LE(end - 12));
    expect(bytes.readUInt32LE(end64)).toBe(0x06064b50);
    count = Number(bytes.readBigUInt64LE(end64 + 32));
    at = Number(bytes.readBigUInt64LE(end64 + 48));
  }
  const entries: EntryFacts[] = [];
  for (let n = 0; n < count; n++) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const [nameLength, extraLength, entryCommentLength] = [28, 30, 32].map((o) => bytes.readUInt16LE(at + o)) as [
      number,
      number,
      number,
    ];
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const zip64 = extraFields(bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength)).get(
      ZIP64_EXTRA,
    );
    // The zip64 field holds, in this order, the values its header marks 0xFFFFFFFF.
    let next = 0;
    const field = (offset: number) => {
      const value = bytes.readUInt32LE(at + offset);
      if (value !== 0xffffffff || !zip64) return value;
      next += 8;
      return Number(zip64.readBigUInt64LE(next - 8));
    };
    const uncompressedSize = field(24);
    const compressedSize = field(20);
    const local = field(42);
    expect(bytes.readUInt32LE(local)).toBe(0x04034b50);
    const flags = bytes.readUInt16LE(local + 6);
    const localName = bytes.readUInt16LE(local + 26);
    const localExtra = bytes.readUInt16LE(local + 28);
    const dataEnd = local + 30 + localName + localExtra + compressedSize;
    entries.push({
      name,
      method: bytes.readUInt16LE(at + 10),
      descriptor: (flags & 0x08) !== 0,
      signedDescriptor: (flags & 0x08) !== 0 && bytes.readUInt32LE(dataEnd) === 0x08074b50,
      zip64Local: extraFields(bytes.subarray(local + 30 + localName, local + 30 + localName + localExtra)).has(
        ZIP64_EXTRA,
      ),
      zip64Central: zip64 !== undefined,
      uncompressedSize,
    });
    at += 46 + nameLength + extraLength + entryCommentLength;
  }
  return {
    entries,
    zip64End,
    comment: bytes.subarray(end + 22, end + 22 + commentLength).toString('utf8'),
    trailing: bytes.length - (end + 22 + commentLength),
  };
}

const every = (facts: ZipFacts, property: (entry: EntryFacts) => boolean) =>
  facts.entries.filter((e) => !property(e)).map((e) => e.name);
const COMMENT = 'Сохранено для проверки: комментарий архива zip.';
const SHEETS_FIRST = [5, 4, 3, 2, 1].map((n) => `xl/worksheets/sheet${n}.xml`).concat('[Content_Types].xml');

/** Each variant, and what makes it one, checked in its bytes. */
const CASES: [file: string, isVariant: (facts: ZipFacts) => void][] = [
  [
    'data-descriptor.xlsx',
    (f) => expect(every(f, (e) => e.descriptor && e.signedDescriptor && !e.zip64Local)).toEqual([]),
  ],
  [
    'data-descriptor-unsigned.xlsx',
    (f) => expect(every(f, (e) => e.descriptor && !e.signedDescriptor && !e.zip64Local)).toEqual([]),
  ],
  [
    'zip64.xlsx',
    (f) => {
      expect(f.zip64End).toBe(true);
      expect(every(f, (e) => e.zip64Local && e.zip64Central && !e.descriptor)).toEqual([]);
    },
  ],
  ['zip64-streamed.xlsx', (f) => expect(every(f, (e) => e.zip64Local && e.signedDescriptor)).toEqual([])],
  ['stored.xlsx', (f) => expect(every(f, (e) => e.method === 0)).toEqual([])],
  ['trailing-bytes.xlsx', (f) => expect(f.trailing).toBe(200)],
  ['comment.xlsx', (f) => expect([f.comment, f.trailing]).toEqual([COMMENT, 0])],
  ['reordered.xlsx', (f) => expect(f.entries.slice(0, 6).map((e) => e.name)).toEqual(SHEETS_FIRST)],
  [
    'everything.xlsx',
    (f) => {
      expect(f.zip64End).toBe(true);
      expect(every(f, (e) => e.method === 0 && e.zip64Local && e.zip64Central && e.signedDescriptor)).toEqual([]);
      expect(f.entries.slice(0, 6).map((e) => e.name)).toEqual(SHEETS_FIRST);
      expect([f.comment, f.trailing]).toEqual([COMMENT, 200]);
    },
  ],
];

let original: RawWorkbook;
beforeAll(async () => {
  original = await readXlsxWorkbook(ORIGINAL, 20);
});

describe('zip containers other programs write', () => {
  it('the original reading holds what the variants must keep: dates, percents, links, merged cells', () => {
    const cells = original.tabs.flatMap((t) => t.rows.flat());
    expect(original.tabs).toHaveLength(5);
    expect(cells.some((c) => c.value instanceof Date)).toBe(true);
    expect(cells.some((c) => c.percentFormat)).toBe(true);
    expect(cells.some((c) => c.link === 'https://school.example/programma.pdf')).toBe(true);
    // Дорожная карта!A1:H1 is merged: the covered cells read as the first one.
    const title = original.tabs.find((t) => t.name === 'Дорожная карта')!.rows[0]!;
    expect(title).toHaveLength(8);
    expect(new Set(title.map((c) => c.value)).size).toBe(1);
  });

  it.each(CASES)('%s is read exactly as the original', async (file, isVariant) => {
    const filePath = path.join(VARIANTS, file);
    isVariant(zipFacts(readFileSync(filePath)));
    expect(await readXlsxWorkbook(filePath, 20)).toStrictEqual({ ...original, name: file });
  });

  it('refuses a zip64 bomb with data descriptors that lies about its size, from the bytes it inflates', async () => {
    const file = path.join(VARIANTS, 'bomb-zip64-data-descriptor.xlsx');
    const facts = zipFacts(readFileSync(file));
    expect(facts.zip64End).toBe(true);
    expect(every(facts, (e) => e.zip64Local && e.zip64Central && e.signedDescriptor)).toEqual([]);
    // The sizes it claims add up to far less than the budget: only the bytes inflated can stop it.
    expect(facts.entries.reduce((sum, e) => sum + e.uncompressedSize, 0)).toBeLessThan(1024 * 1024);
    const error = await readXlsxWorkbook(file, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InfrastructureError);
    const { message, reason } = error as InfrastructureError;
    expect(message).toContain(`«${file}»`);
    expect(reason).toBe('too_large');
    expect(message.replace(/\u00a0/g, ' ')).toContain('в распакованном виде больше допустимых 100 МБ');
  });
});
