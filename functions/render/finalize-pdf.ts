import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFString, type PDFObject } from 'pdf-lib';

/** Document properties written into the PDF. */
export interface PdfProperties {
  title: string;
  subject: string;
  /** Dated by the monitoring date, not the wall clock, so a rerun yields the same bytes. */
  date: Date;
}

/**
 * Sets the PDF's properties, makes its bytes reproducible and counts its pages. A PDF as Chromium
 * (Skia) writes it is rewritten object by object (~1 ms, see `finalizeSkiaPdf`); any other, or one
 * that looks different from what that rewrite expects, goes through pdf-lib (~12 ms of work).
 */
export async function finalizePdf(
  bytes: Uint8Array,
  properties: PdfProperties,
): Promise<{ bytes: Uint8Array; pages: number }> {
  return finalizeSkiaPdf(bytes, properties) ?? finalizeWithPdfLib(bytes, properties);
}

/** The same as finalizePdf, always through pdf-lib: the reference the fast rewrite is tested against. */
export async function finalizeWithPdfLib(
  bytes: Uint8Array,
  properties: PdfProperties,
): Promise<{ bytes: Uint8Array; pages: number }> {
  // Without pausing: pdf-lib's default yields to the event loop (setTimeout 0) every 100 objects
  // read and every 50 written, which made a report's finalizing take ~40 ms for ~12 ms of work,
  // while holding its place among the documents in flight. A report has a few hundred objects.
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  pdf.setTitle(properties.title, { showInWindowTitleBar: true });
  pdf.setSubject(properties.subject);
  pdf.setAuthor('Монитор 500+');
  pdf.setCreator('Монитор 500+');
  pdf.setProducer('Монитор 500+ (Chromium, pdf-lib)');
  pdf.setLanguage('ru-RU');
  pdf.setCreationDate(properties.date);
  pdf.setModificationDate(properties.date);
  renumberStructureIds(pdf);
  return {
    bytes: await pdf.save({ useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY }),
    pages: pdf.getPageCount(),
  };
}

/**
 * Chromium names tagged-PDF structure elements after DOM node ids, which differ between renders.
 * Renames them in document order (the structure tree's own order), rebuilds the ID tree, and
 * follows the renaming wherever a name is cited (table headers).
 */
function renumberStructureIds(pdf: PDFDocument): void {
  const structTree = pdf.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  if (!structTree) return;
  const ID = PDFName.of('ID');
  const K = PDFName.of('K');
  const renamed = new Map<string, PDFString>();
  const entries: (PDFString | PDFRef)[] = [];
  const walk = (node: PDFObject, ref: PDFRef | undefined): void => {
    const dict = node instanceof PDFRef ? pdf.context.lookup(node) : node;
    const self = node instanceof PDFRef ? node : ref;
    if (dict instanceof PDFArray) {
      for (let i = 0; i < dict.size(); i++) walk(dict.get(i), undefined);
      return;
    }
    if (!(dict instanceof PDFDict)) return;
    const id = dict.get(ID);
    if (id instanceof PDFString && self) {
      const fresh = PDFString.of(`e${String(renamed.size + 1).padStart(8, '0')}`);
      renamed.set(id.asString(), fresh);
      dict.set(ID, fresh);
      entries.push(fresh, self);
    }
    const kids = dict.get(K);
    if (kids) walk(kids, undefined);
  };
  walk(structTree, undefined);
  if (renamed.size === 0) return;
  const dropTree = (node: PDFObject | undefined): void => {
    const dict = node instanceof PDFRef ? pdf.context.lookup(node) : node;
    const kids = dict instanceof PDFDict ? dict.lookupMaybe(PDFName.of('Kids'), PDFArray) : undefined;
    for (let i = 0; i < (kids?.size() ?? 0); i++) dropTree(kids?.get(i));
    if (node instanceof PDFRef) pdf.context.delete(node);
  };
  dropTree(structTree.get(PDFName.of('IDTree')));
  structTree.set(PDFName.of('IDTree'), pdf.context.obj({ Names: entries }));
  const cite = (object: PDFObject): void => {
    if (object instanceof PDFArray) {
      for (let i = 0; i < object.size(); i++) {
        const value = object.get(i);
        const fresh = value instanceof PDFString ? renamed.get(value.asString()) : undefined;
        if (fresh) object.set(i, fresh);
        else cite(value);
      }
    } else if (object instanceof PDFDict) {
      for (const [, value] of object.entries()) cite(value);
    }
  };
  for (const [, object] of pdf.context.enumerateIndirectObjects()) cite(object);
}

/** The text of one indirect object ("N 0 obj … endobj"), by number, in file order. */
interface PdfObjectText {
  number: number;
  text: string;
  /** Whether it is a stream (its bytes after the dictionary are not text to look into). */
  stream: boolean;
}

/** A text string as pdf-lib writes one (PDFHexString.fromText): UTF-16BE with a byte order mark, in hex. */
function hexText(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** A date as pdf-lib writes one (PDFString.fromDate). */
function pdfDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `(D:${String(date.getUTCFullYear()).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}` +
    `${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z)`
  );
}

const INFO_KEYS = new Set(['Title', 'Subject', 'Author', 'Creator', 'Producer', 'CreationDate', 'ModDate']);

const ref = (text: string, key: string): number | undefined => {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R\\b`).exec(text);
  return match ? Number(match[1]) : undefined;
};

/**
 * finalizePdf without parsing the whole document: the PDF as Chromium's Skia writes it — one
 * classic cross-reference table, every object "N 0 obj", structure elements as plain dictionaries —
 * has its Info dictionary written anew, its catalogue's /Lang set, its structure IDs renamed in
 * document order (the order pdf-lib's walk gives them, with /Headers following), its ID tree
 * rebuilt inline, and a new cross-reference table. Every other object is copied byte for byte.
 * Undefined when the PDF is not of that shape, or when an ID appears anywhere this rewrite does
 * not follow: then pdf-lib does it.
 */
export function finalizeSkiaPdf(
  bytes: Uint8Array,
  properties: PdfProperties,
): { bytes: Uint8Array; pages: number } | undefined {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!pdf.startsWith('%PDF-1.')) return undefined;
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf);
  if (!startxref) return undefined;
  const xrefAt = Number(startxref[1]);
  const table = /^xref\s+0\s+(\d+)\s+/.exec(pdf.slice(xrefAt, xrefAt + 64));
  if (!table) return undefined;
  const size = Number(table[1]);
  const entriesAt = xrefAt + table[0].length;
  const trailerAt = entriesAt + 20 * size;
  const trailer = /^trailer\s*<<([^]*?)>>\s*startxref/.exec(pdf.slice(trailerAt));
  if (!trailer || /\/(Prev|XRefStm|Encrypt)\b/.test(trailer[1]!)) return undefined;
  const rootNumber = ref(trailer[1]!, 'Root');
  const infoNumber = ref(trailer[1]!, 'Info');
  if (rootNumber === undefined || infoNumber === undefined) return undefined;

  // Objects by offset: each runs to the next one, the last to the cross-reference table.
  const offsets: { number: number; offset: number }[] = [];
  for (let n = 0; n < size; n++) {
    const entry = pdf.slice(entriesAt + 20 * n, entriesAt + 20 * n + 18);
    const match = /^(\d{10}) (\d{5}) ([nf])$/.exec(entry);
    if (!match) return undefined;
    if (match[3] === 'n') {
      if (match[2] !== '00000') return undefined;
      offsets.push({ number: n, offset: Number(match[1]) });
    }
  }
  offsets.sort((a, b) => a.offset - b.offset);
  const objects = new Map<number, PdfObjectText>();
  const order: PdfObjectText[] = [];
  for (const [i, { number, offset }] of offsets.entries()) {
    const end = offsets[i + 1]?.offset ?? xrefAt;
    const text = pdf.slice(offset, end);
    if (!text.startsWith(`${number} 0 obj`) || !/endobj\s*$/.test(text)) return undefined;
    const object = { number, text, stream: /\bstream\r?\n/.test(text) };
    objects.set(number, object);
    order.push(object);
  }
  const head = pdf.slice(0, offsets[0]?.offset ?? 0);
  const dictionary = (n: number | undefined) => {
    const object = n === undefined ? undefined : objects.get(n);
    return object && !object.stream ? object : undefined;
  };

  const catalog = dictionary(rootNumber);
  const info = dictionary(infoNumber);
  if (!catalog || !info || !/\/Type\s*\/Catalog\b/.test(catalog.text)) return undefined;
  // Only the properties written below: pdf-lib would keep any other, this rewrite would not.
  const infoKeys = [...info.text.replace(/\([^()\\]*\)|<[0-9A-Fa-f\s]*>/g, '').matchAll(/\/(\w+)/g)].map((m) => m[1]);
  if (infoKeys.some((key) => !INFO_KEYS.has(key!))) return undefined;
  const pagesObject = dictionary(ref(catalog.text, 'Pages'));
  const count = pagesObject && /\/Count\s+(\d+)/.exec(pagesObject.text);
  if (!count) return undefined;
  const replaced = new Map<number, string>();
  const dropped = new Set<number>();

  // Structure IDs, renamed in the structure tree's order (depth first, an element before its kids).
  const renamed = new Map<string, string>();
  const entries: string[] = [];
  const treeNumber = ref(catalog.text, 'StructTreeRoot');
  if (treeNumber !== undefined) {
    const tree = dictionary(treeNumber);
    if (!tree) return undefined;
    const visited = new Set<number>();
    const kidsOf = (text: string): string | undefined => {
      const k = /\/K\s*(\[[^\]]*\]|\d+\s+0\s+R|\d+)/.exec(text);
      return k?.[1];
    };
    const stack: number[] = [];
    const pushKids = (kids: string | undefined) => {
      if (!kids) return;
      // Kids are elements (references); marked-content and object references are inline
      // dictionaries, whose /Pg and /Obj are not kids (pdf-lib's walk does not follow them either).
      const refs = [...kids.replace(/<<[^>]*>>/g, ' ').matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1]));
      for (let i = refs.length - 1; i >= 0; i--) stack.push(refs[i]!);
    };
    pushKids(kidsOf(tree.text));
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (visited.has(n)) return undefined;
      visited.add(n);
      const element = objects.get(n);
      if (!element) return undefined;
      if (element.stream) continue;
      const id = /\/ID\s*\(([^()\\]*)\)/.exec(element.text);
      if (id) {
        const fresh = `e${String(renamed.size + 1).padStart(8, '0')}`;
        if (renamed.has(id[1]!)) return undefined;
        renamed.set(id[1]!, fresh);
        entries.push(`(${fresh}) ${n} 0 R`);
      } else if (/\/ID\b/.test(element.text)) {
        return undefined;
      }
      pushKids(kidsOf(element.text));
    }
    // The old ID tree goes: pdf-lib deletes its nodes too.
    const idTree = /\/IDTree\s+(\d+)\s+0\s+R/.exec(tree.text);
    if (renamed.size > 0) {
      if (!idTree) return undefined;
      const drop = [Number(idTree[1])];
      while (drop.length > 0) {
        const n = drop.pop()!;
        const node = dictionary(n);
        if (!node || dropped.has(n)) return undefined;
        dropped.add(n);
        const kids = /\/Kids\s*\[([^\]]*)\]/.exec(node.text);
        for (const m of kids?.[1]?.matchAll(/(\d+)\s+0\s+R/g) ?? []) drop.push(Number(m[1]));
      }
      replaced.set(
        treeNumber,
        tree.text.replace(/\/IDTree\s+\d+\s+0\s+R/, `/IDTree <</Names [${entries.join(' ')}]>>`),
      );
    }
  }

  // Each renamed ID where it is cited: its element's /ID and /Headers arrays; nowhere else.
  if (renamed.size > 0) {
    const rename = (name: string) => renamed.get(name) ?? name;
    for (const object of order) {
      if (object.stream || dropped.has(object.number)) continue;
      const text = replaced.get(object.number) ?? object.text;
      let next = text.replace(
        /(\/ID\s*\()([^()\\]*)\)/,
        (_, start: string, name: string) => `${start}${rename(name)})`,
      );
      next = next.replace(/\/Headers\s*\[([^\]]*)\]/g, (whole, list: string) =>
        whole.replace(
          list,
          list.replace(/\(([^()\\]*)\)/g, (_m, name: string) => `(${rename(name)})`),
        ),
      );
      // An old ID left anywhere (another kind of reference): not this rewrite's to follow.
      for (const old of renamed.keys()) if (next.includes(`(${old})`)) return undefined;
      if (next !== text) replaced.set(object.number, next);
    }
  }

  // Properties: a new Info dictionary; the catalogue's language, and its title shown in the title bar.
  const date = pdfDate(properties.date);
  replaced.set(
    infoNumber,
    `${infoNumber} 0 obj\n<</Title ${hexText(properties.title)}\n/Subject ${hexText(properties.subject)}\n` +
      `/Author ${hexText('Монитор 500+')}\n/Creator ${hexText('Монитор 500+')}\n` +
      `/Producer ${hexText('Монитор 500+ (Chromium, pdf-lib)')}\n/CreationDate ${date}\n/ModDate ${date}>>\nendobj\n`,
  );
  let root = replaced.get(rootNumber) ?? catalog.text;
  if (!/\/ViewerPreferences\s*<<[^>]*\/DisplayDocTitle\s+true/.test(root)) return undefined;
  if (/\/Lang\s*\([^()\\]*\)/.test(root)) root = root.replace(/\/Lang\s*\([^()\\]*\)/, '/Lang (ru-RU)');
  else return undefined;
  replaced.set(rootNumber, root);

  // The file again: the same objects in the same order, a new cross-reference table.
  const parts: string[] = [head];
  let at = head.length;
  const at_ = new Map<number, number>();
  for (const object of order) {
    if (dropped.has(object.number)) continue;
    let text = replaced.get(object.number) ?? object.text;
    if (!text.endsWith('\n')) text += '\n';
    at_.set(object.number, at);
    parts.push(text);
    at += text.length;
  }
  const lines = [`xref\n0 ${size}\n`];
  for (let n = 0; n < size; n++) {
    const offset = at_.get(n);
    lines.push(
      offset === undefined
        ? `0000000000 ${n === 0 ? '65535' : '00000'} f \n`
        : `${String(offset).padStart(10, '0')} 00000 n \n`,
    );
  }
  parts.push(
    ...lines,
    `trailer\n<</Size ${size}\n/Root ${rootNumber} 0 R\n/Info ${infoNumber} 0 R>>\nstartxref\n${at}\n%%EOF\n`,
  );
  return { bytes: new Uint8Array(Buffer.from(parts.join(''), 'latin1')), pages: Number(count[1]) };
}
