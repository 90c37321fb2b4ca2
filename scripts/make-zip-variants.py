#!/usr/bin/env python3
"""Zip-container variants of one real-writer workbook, for tests/integration/zip-variants.test.ts.

Run from the repository root (any Python 3.8+, standard library only):

    python3 scripts/make-zip-variants.py

It reads tests/fixtures/writers/libreoffice.xlsx (LibreOffice 7.4: dates, percents, hyperlinks,
merged cells, notes) and writes to tests/fixtures/zip-variants/ the same parts, with the same
bytes once unpacked, in containers other zip writers produce:

  data-descriptor.xlsx           Python's zipfile writing to a stream it cannot seek: flag bit 3 on
                                 every entry, CRC and sizes 0 in the local headers, a signed data
                                 descriptor (PK\\x07\\x08, CRC, 4-byte sizes) after each entry's data
  data-descriptor-unsigned.xlsx  the same, built here, with descriptors WITHOUT their optional
                                 signature (CRC and sizes only)
  zip64.xlsx                     built here, zip64 everywhere as writers forcing it do (Apache
                                 Commons Compress Zip64Mode.Always): a zip64 extra field in every
                                 local header (sizes 0xFFFFFFFF there) and every directory entry
                                 (sizes and offset 0xFFFFFFFF there), a zip64 end-of-central-
                                 directory record and locator, and the classic end record saying
                                 0xFFFF / 0xFFFFFFFF, so only the zip64 records give the directory
  zip64-streamed.xlsx            Python's zipfile, force_zip64=True on each entry, to a stream it
                                 cannot seek: zip64 extra fields in the local headers and zip64
                                 data descriptors (8-byte sizes); the directory is classic
  stored.xlsx                    Python's zipfile, ZIP_STORED: no compression at all
  trailing-bytes.xlsx            the original file byte for byte, plus 200 bytes after the end record
                                 (as tools that append a signature do)
  comment.xlsx                   Python's zipfile, deflated, with an archive comment (UTF-8 text)
  reordered.xlsx                 Python's zipfile, the worksheets first (sheet5 … sheet1), then
                                 [Content_Types].xml, then the other parts in reverse order
  everything.xlsx                built here: all the above at once (zip64, signed descriptors,
                                 stored, reordered, comment, 200 trailing bytes)
  bomb-zip64-data-descriptor.xlsx
                                 a hostile variant, built here like zip64.xlsx with signed zip64
                                 data descriptors: xl/worksheets/sheet1.xml inflates to its XML
                                 plus 101 MiB of spaces, while every header and descriptor claims
                                 the original size (a zip bomb that lies about itself)

Each variant is checked after writing (zipfile reads every part back, CRCs included, and gets the
original bytes; the property that makes it a variant is checked in the raw bytes); `zipinfo -v`
shows the same. The output is deterministic for a given zlib.
"""

import io
import os
import struct
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(ROOT, "tests", "fixtures", "writers", "libreoffice.xlsx")
OUT = os.path.join(ROOT, "tests", "fixtures", "zip-variants")

LOCAL, CENTRAL, END = 0x04034B50, 0x02014B50, 0x06054B50
END64, LOCATOR64, DESCRIPTOR = 0x06064B50, 0x07064B50, 0x08074B50
FLAG_DESCRIPTOR, FLAG_UTF8 = 0x0008, 0x0800
BOMB_PADDING = 101 * 1024 * 1024  # past the 100 MB unpacked budget of a 20 MB file limit
# Stands in for a signature some tools append after the end record; no zip signature inside.
TRAILING = (b"-----BEGIN APPENDED SIGNATURE-----\n" + bytes(range(0x20, 0x7F)) * 2)[:200]
COMMENT = "Сохранено для проверки: комментарий архива zip.".encode("utf-8")


def read_source():
    """The original's parts, in its order: (ZipInfo, bytes)."""
    with zipfile.ZipFile(SOURCE) as z:
        return [(info, z.read(info)) for info in z.infolist()]


class Unseekable(io.RawIOBase):
    """A write-only stream without tell/seek: zipfile then writes data descriptors."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buffer += b
        return len(b)


def with_zipfile(parts, *, seekable=True, method=zipfile.ZIP_DEFLATED, force_zip64=False, comment=b""):
    """The parts written by Python's own zipfile."""
    sink = io.BytesIO() if seekable else Unseekable()
    with zipfile.ZipFile(sink, "w") as z:
        for original, data in parts:
            info = zipfile.ZipInfo(original.filename, date_time=original.date_time)
            info.compress_type = method
            with z.open(info, "w", force_zip64=force_zip64) as f:
                f.write(data)
        z.comment = comment
    return bytes(sink.getvalue() if seekable else sink.buffer)


def deflate_raw(chunks):
    """Raw deflate of the chunks (an iterable), with their CRC and total length."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, size = [], 0, 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        out.append(compressor.compress(chunk))
    out.append(compressor.flush())
    return b"".join(out), crc, size


def by_hand(parts, *, stored=False, descriptor=None, zip64=False, comment=b"", trailing=b"", chunks=None, declared=None):
    """
    A zip built here, field by field. descriptor: None, "signed" or "unsigned". chunks: name ->
    iterable of the bytes of that part, instead of its data; declared: name -> the size to claim.
    """
    chunks, declared = chunks or {}, declared or {}
    body, directory = [], []
    offset = 0
    for info, data in parts:
        name = info.filename.encode("utf-8")
        source = chunks.get(info.filename, [data])
        if stored:
            raw = b"".join(source)
            packed, crc, size = raw, zlib.crc32(raw), len(raw)
        else:
            packed, crc, size = deflate_raw(source)
        size = declared.get(info.filename, size)
        method = 0 if stored else 8
        flags = FLAG_UTF8 | (FLAG_DESCRIPTOR if descriptor else 0)
        version = 45 if zip64 else 20
        y, mo, d, h, mi, s = info.date_time
        dos_time, dos_date = h << 11 | mi << 5 | s // 2, (y - 1980) << 9 | mo << 5 | d

        # Local header: with a descriptor, CRC and sizes come after the data (0 here).
        l_crc, l_packed, l_size = (0, 0, 0) if descriptor else (crc, len(packed), size)
        if zip64:
            local_extra = struct.pack("<HHQQ", 0x0001, 16, l_size, l_packed)
            l_packed = l_size = 0xFFFFFFFF
        else:
            local_extra = b""
        local = struct.pack(
            "<IHHHHHIIIHH", LOCAL, version, flags, method, dos_time, dos_date,
            l_crc, l_packed, l_size, len(name), len(local_extra),
        )
        body += [local, name, local_extra, packed]
        entry_length = len(local) + len(name) + len(local_extra) + len(packed)
        if descriptor:
            signature = struct.pack("<I", DESCRIPTOR) if descriptor == "signed" else b""
            sizes = struct.pack("<QQ" if zip64 else "<II", len(packed), size)
            tail = signature + struct.pack("<I", crc) + sizes
            body.append(tail)
            entry_length += len(tail)

        if zip64:
            central_extra = struct.pack("<HHQQQ", 0x0001, 24, size, len(packed), offset)
            c_packed = c_size = c_offset = 0xFFFFFFFF
        else:
            central_extra, c_packed, c_size, c_offset = b"", len(packed), size, offset
        directory += [
            struct.pack(
                "<IHHHHHHIIIHHHHHII", CENTRAL, version, version, flags, method, dos_time, dos_date,
                crc, c_packed, c_size, len(name), len(central_extra), 0, 0, 0, 0, c_offset,
            ),
            name,
            central_extra,
        ]
        offset += entry_length

    directory_bytes = b"".join(directory)
    count, directory_offset = len(parts), offset
    tail = b""
    if zip64:
        end64_offset = directory_offset + len(directory_bytes)
        tail += struct.pack("<IQHHIIQQQQ", END64, 44, 45, 45, 0, 0, count, count, len(directory_bytes), directory_offset)
        tail += struct.pack("<IIQI", LOCATOR64, 0, end64_offset, 1)
        tail += struct.pack("<IHHHHIIH", END, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
    else:
        tail += struct.pack("<IHHHHIIH", END, 0, 0, count, count, len(directory_bytes), directory_offset, len(comment))
    return b"".join(body) + directory_bytes + tail + comment + trailing


def reordered(parts):
    sheets = [p for p in parts if p[0].filename.startswith("xl/worksheets/sheet")]
    rest = [p for p in parts if p not in sheets]
    types = [p for p in rest if p[0].filename == "[Content_Types].xml"]
    others = [p for p in rest if p not in types]
    return sheets[::-1] + types + others[::-1]


# --- checks of what was written, in the raw bytes ---------------------------------------------


def end_record(blob):
    """Offset of the (last) classic end record, its comment, and how many bytes follow them."""
    at = blob.rfind(struct.pack("<I", END))
    comment_length = struct.unpack_from("<H", blob, at + 20)[0]
    return at, blob[at + 22 : at + 22 + comment_length], len(blob) - (at + 22 + comment_length)


def local_headers(blob, infos):
    """(flags, extra field ids, bytes right after the data) of every entry's local header."""
    found = []
    for info in infos:
        at = info.header_offset
        signature, _, flags = struct.unpack_from("<IHH", blob, at)
        assert signature == LOCAL, info.filename
        name_length, extra_length = struct.unpack_from("<HH", blob, at + 26)
        extra = blob[at + 30 + name_length : at + 30 + name_length + extra_length]
        ids, i = [], 0
        while i + 4 <= len(extra):
            field, length = struct.unpack_from("<HH", extra, i)
            ids.append(field)
            i += 4 + length
        data_end = at + 30 + name_length + extra_length + info.compress_size
        found.append((flags, ids, blob[data_end : data_end + 4]))
    return found


def check(name, blob, parts, prop):
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        assert z.testzip() is None, name
        got = {i.filename: z.read(i) for i in z.infolist()}
        infos = z.infolist()
    assert got == {info.filename: data for info, data in parts}, f"{name}: parts differ"
    prop(blob, infos)
    print(f"{name}: {len(blob)} bytes, {len(infos)} parts, checked")


def all_descriptors(signed, zip64=False):
    def prop(blob, infos):
        for (flags, ids, after), info in zip(local_headers(blob, infos), infos):
            assert flags & FLAG_DESCRIPTOR, info.filename
            assert (struct.unpack("<I", after)[0] == DESCRIPTOR) == signed, info.filename
            assert (0x0001 in ids) == zip64, info.filename
            at = info.header_offset
            assert struct.unpack_from("<I", blob, at + 14)[0] == 0, "local CRC not 0"
            if not zip64:
                assert struct.unpack_from("<II", blob, at + 18) == (0, 0), "local sizes not 0"
    return prop


def full_zip64(blob, infos):
    at, _, _ = end_record(blob)
    assert struct.unpack_from("<I", blob, at - 20)[0] == LOCATOR64, "no zip64 locator"
    end64 = struct.unpack_from("<Q", blob, at - 20 + 8)[0]
    assert struct.unpack_from("<I", blob, end64)[0] == END64, "no zip64 end record"
    assert struct.unpack_from("<HHII", blob, at + 8) == (0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    for flags, ids, _ in local_headers(blob, infos):
        assert ids == [0x0001]
    for info in infos:
        assert info.extra[:2] == b"\x01\x00", f"{info.filename}: no zip64 extra in the directory"


def main():
    parts = read_source()
    original = open(SOURCE, "rb").read()
    os.makedirs(OUT, exist_ok=True)

    def written(name, blob, prop, expected_parts=parts):
        check(name, blob, expected_parts, prop)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(blob)

    written("data-descriptor.xlsx", with_zipfile(parts, seekable=False), all_descriptors(signed=True))
    written("data-descriptor-unsigned.xlsx", by_hand(parts, descriptor="unsigned"), all_descriptors(signed=False))
    written("zip64.xlsx", by_hand(parts, zip64=True), full_zip64)
    written(
        "zip64-streamed.xlsx",
        with_zipfile(parts, seekable=False, force_zip64=True),
        all_descriptors(signed=True, zip64=True),
    )

    def all_stored(blob, infos):
        assert all(i.compress_type == zipfile.ZIP_STORED and i.compress_size == i.file_size for i in infos)

    written("stored.xlsx", with_zipfile(parts, method=zipfile.ZIP_STORED), all_stored)

    def trailing(blob, infos):
        _, _, after = end_record(blob)
        assert after == 200 and blob[:-200] == original

    written("trailing-bytes.xlsx", original + TRAILING, trailing)

    def commented(blob, infos):
        assert end_record(blob)[1:] == (COMMENT, 0)

    written("comment.xlsx", with_zipfile(parts, comment=COMMENT), commented)

    def order(blob, infos):
        names = [i.filename for i in infos]
        assert names[:6] == [f"xl/worksheets/sheet{n}.xml" for n in range(5, 0, -1)] + ["[Content_Types].xml"], names

    written("reordered.xlsx", with_zipfile(reordered(parts)), order)

    def everything(blob, infos):
        full_zip64(blob, infos)
        all_descriptors(signed=True, zip64=True)(blob, infos)
        all_stored(blob, infos)
        order(blob, infos)
        assert end_record(blob)[1:] == (COMMENT, 200)

    written(
        "everything.xlsx",
        by_hand(reordered(parts), stored=True, descriptor="signed", zip64=True, comment=COMMENT, trailing=TRAILING),
        everything,
    )

    # The bomb: sheet1.xml streamed with its padding, never held whole in memory; every size claimed is the original's.
    sheet = "xl/worksheets/sheet1.xml"
    data = dict((info.filename, d) for info, d in parts)[sheet]
    padding = (b" " * (1024 * 1024) for _ in range(BOMB_PADDING // (1024 * 1024)))
    bomb = by_hand(
        parts,
        descriptor="signed",
        zip64=True,
        chunks={sheet: (chunk for source in ([data], padding) for chunk in source)},
        declared={sheet: len(data)},
    )
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        info = z.getinfo(sheet)
        assert info.file_size == len(data), "the bomb must lie about its size"
        full_zip64(bomb, z.infolist())
        all_descriptors(signed=True, zip64=True)(bomb, z.infolist())
        # The real size: zipfile would stop at the size claimed, so inflated here.
        start = info.header_offset + 30 + len(sheet) + 20
        real = len(zlib.decompressobj(-15).decompress(bomb[start : start + info.compress_size]))
    assert real == len(data) + BOMB_PADDING, real
    with open(os.path.join(OUT, "bomb-zip64-data-descriptor.xlsx"), "wb") as f:
        f.write(bomb)
    print(f"bomb-zip64-data-descriptor.xlsx: {len(bomb)} bytes, {sheet} claims {len(data)} bytes, inflates to {real}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
