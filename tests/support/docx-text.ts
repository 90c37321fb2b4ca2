import { openZip } from '../../functions/adapters/xlsx/zip.js';

/** What a reader of a .docx gets: its parts, and its body's text as Word shows it. */
export interface DocxContent {
  /** Every part of the package by name (word/document.xml, word/numbering.xml, word/media/…). */
  parts: Map<string, Buffer>;
  documentXml: string;
  /** The body's paragraphs in order (table cells' paragraphs among them), each with its list label («1.», «2.3.»). */
  paragraphs: DocxParagraph[];
  /** All paragraphs' texts as one flow, whitespace collapsed to single spaces. */
  text: string;
  /** Each table's header row (w:tblHeader, repeated on every page), its cells' texts joined. */
  headerRows: string[];
}

export interface DocxParagraph {
  /** The label Word generates from numbering.xml ('' for bullets and paragraphs outside lists). */
  label: string;
  /** The paragraph's own text, with capitals where a run says so (w:caps). */
  text: string;
  /** The paragraph's numbering, when it is in a list. */
  numbering?: { numId: string; level: number; format: string };
  style?: string;
  /** In a table's header row (the row Word repeats on each page). */
  inHeaderRow: boolean;
  /** Where the paragraph starts in word/document.xml. */
  offset: number;
  xml: string;
}

/** Unpacks a .docx with the project's zip reader and reads its body as Word lays out its text. */
export async function readDocx(bytes: Uint8Array): Promise<DocxContent> {
  const zip = await openZip(Buffer.from(bytes), 500);
  if (!zip || typeof zip === 'string') throw new Error(`not a zip: ${String(zip)}`);
  const parts = new Map<string, Buffer>();
  for (const part of zip.parts) {
    const data = await zip.unpack(part, 50 * 1024 * 1024);
    if (typeof data === 'string') throw new Error(`${part.name}: ${data}`);
    parts.set(part.name, data);
  }
  const documentXml = parts.get('word/document.xml')?.toString('utf8');
  if (!documentXml) throw new Error('no word/document.xml');
  const numbering = readNumbering(parts.get('word/numbering.xml')?.toString('utf8') ?? '');
  const counters = new Map<string, number[]>();
  const paragraphs: DocxParagraph[] = [];
  const headerRanges = [...documentXml.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)]
    .filter(([row]) => /<w:tblHeader(?: w:val="(?:true|1|on)")?\/>/.test(row))
    .map((row) => [row.index, row.index + row[0].length] as const);
  for (const match of documentXml.matchAll(/<w:p(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/w:p>)/g)) {
    const xml = match[1] ?? '';
    const inHeaderRow = headerRanges.some(([start, end]) => match.index >= start && match.index < end);
    const style = /<w:pStyle w:val="([^"]*)"/.exec(xml)?.[1];
    let label = '';
    let numbered: DocxParagraph['numbering'];
    const numPr = /<w:numPr>([\s\S]*?)<\/w:numPr>/.exec(xml)?.[1];
    if (numPr) {
      const numId = /<w:numId w:val="(\d+)"/.exec(numPr)?.[1] ?? '';
      const level = Number(/<w:ilvl w:val="(\d+)"/.exec(numPr)?.[1] ?? '0');
      const definition = numbering.get(numId);
      if (!definition) throw new Error(`numId ${numId} is not defined in numbering.xml`);
      const count = counters.get(numId) ?? [];
      count[level] = (count[level] ?? (definition[level]?.start ?? 1) - 1) + 1;
      count.length = level + 1;
      counters.set(numId, count);
      const lvl = definition[level];
      if (!lvl) throw new Error(`numId ${numId} has no level ${level}`);
      numbered = { numId, level, format: lvl.format };
      label =
        lvl.format === 'bullet' ? '' : lvl.text.replace(/%(\d)/g, (_, n: string) => String(count[Number(n) - 1] ?? 1));
    }
    const text = [...xml.matchAll(/<w:r(?:\s[^>]*)?>([\s\S]*?)<\/w:r>/g)]
      .map(([, run = '']) => {
        const caps = /<w:caps(?: w:val="(?:true|1|on)")?\/>/.test(run);
        const tokens = [...run.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br(?:\s[^>]*)?\/>/g)].map(
          ([token, t]) => (t !== undefined ? decodeXml(t) : token.startsWith('<w:tab') ? '\t' : '\n'),
        );
        const joined = tokens.join('');
        return caps ? joined.toLocaleUpperCase('ru') : joined;
      })
      .join('');
    paragraphs.push({ label, text, numbering: numbered, style, inHeaderRow, offset: match.index, xml });
  }
  const headerRows = headerRanges.map(([start, end]) =>
    paragraphs
      .filter((p) => p.offset >= start && p.offset < end)
      .map((p) => p.text)
      .join(' '),
  );
  const text = paragraphs
    .map((p) => (p.label ? `${p.label} ${p.text}` : p.text))
    .join('\n')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim();
  return { parts, documentXml, paragraphs, text, headerRows };
}

interface Level {
  format: string;
  text: string;
  start: number;
}

/** numId → levels of its abstract numbering (format, level text, start). */
function readNumbering(xml: string): Map<string, Level[]> {
  const abstract = new Map<string, Level[]>();
  for (const [, id = '', body = ''] of xml.matchAll(
    /<w:abstractNum\b[^>]*w:abstractNumId="(\d+)"[^>]*>([\s\S]*?)<\/w:abstractNum>/g,
  )) {
    const levels: Level[] = [];
    for (const [, ilvl = '0', lvl = ''] of body.matchAll(/<w:lvl\b[^>]*w:ilvl="(\d+)"[^>]*>([\s\S]*?)<\/w:lvl>/g)) {
      levels[Number(ilvl)] = {
        format: /<w:numFmt w:val="([^"]*)"/.exec(lvl)?.[1] ?? 'decimal',
        text: decodeXml(/<w:lvlText w:val="([^"]*)"/.exec(lvl)?.[1] ?? ''),
        start: Number(/<w:start w:val="(\d+)"/.exec(lvl)?.[1] ?? '1'),
      };
    }
    abstract.set(id, levels);
  }
  const nums = new Map<string, Level[]>();
  for (const [, numId = '', body = ''] of xml.matchAll(/<w:num\b[^>]*w:numId="(\d+)"[^>]*>([\s\S]*?)<\/w:num>/g)) {
    const abstractId = /<w:abstractNumId w:val="(\d+)"/.exec(body)?.[1] ?? '';
    const levels = (abstract.get(abstractId) ?? []).map((l) => ({ ...l }));
    for (const [, ilvl = '0', start = '1'] of body.matchAll(
      /<w:lvlOverride w:ilvl="(\d+)">\s*<w:startOverride w:val="(\d+)"\/>/g,
    )) {
      const level = levels[Number(ilvl)];
      if (level) level.start = Number(start);
    }
    nums.set(numId, levels);
  }
  return nums;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}
