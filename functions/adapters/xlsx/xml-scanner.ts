/**
 * A forward-only scanner over the XML of one spreadsheet part: element tags with their local names
 * (prefixes dropped, as writers bind the same namespaces to different prefixes), attributes on
 * demand, and text. It keeps no tree, so nothing grows with the depth of the document, and it
 * expands only XML's own five entities and character references: a document type declaration
 * (entity expansion, external entities) is refused, and so is absurdly deep nesting, which no
 * spreadsheet writer produces.
 */
export class XmlScanner {
  /** Local name of the current tag. */
  name = '';
  /** The current tag: an opening tag, a closing tag or an empty-element tag («<c/>»). */
  kind: TagKind = TagKind.Open;
  /** Elements open around the current position. */
  depth = 0;
  private pos = 0;
  private attrStart = 0;
  private attrEnd = 0;

  constructor(
    private readonly xml: string,
    private readonly maxDepth: number,
    private readonly refuse: (why: 'declaration' | 'too_deep') => Error,
  ) {}

  /** Moves to the next element tag; false at the end of the document. */
  next(): boolean {
    const xml = this.xml;
    for (;;) {
      const lt = xml.indexOf('<', this.pos);
      if (lt < 0 || lt + 1 >= xml.length) return false;
      const c = xml.charCodeAt(lt + 1);
      if (c === SLASH) {
        const gt = xml.indexOf('>', lt + 2);
        if (gt < 0) return false;
        this.name = localName(xml, lt + 2, gt);
        this.kind = TagKind.Close;
        this.depth--;
        this.pos = gt + 1;
        return true;
      }
      if (c === QUESTION) {
        const close = xml.indexOf('?>', lt + 2);
        if (close < 0) return false;
        this.pos = close + 2;
        continue;
      }
      if (c === BANG) {
        if (xml.startsWith('--', lt + 2)) {
          const close = xml.indexOf('-->', lt + 4);
          if (close < 0) return false;
          this.pos = close + 3;
          continue;
        }
        if (xml.startsWith('[CDATA[', lt + 2)) {
          const close = xml.indexOf(']]>', lt + 9);
          if (close < 0) return false;
          this.pos = close + 3;
          continue;
        }
        throw this.refuse('declaration');
      }
      let end = lt + 1;
      for (; end < xml.length; end++) {
        const k = xml.charCodeAt(end);
        if (k === SPACE || k === GT || k === SLASH || k === TAB || k === LF || k === CR) break;
      }
      this.name = localName(xml, lt + 1, end);
      this.attrStart = end;
      // The tag ends at the first «>» outside quotes: attribute values may hold «>».
      let gt = end;
      for (let quote = 0; gt < xml.length; gt++) {
        const k = xml.charCodeAt(gt);
        if (quote) {
          if (k === quote) quote = 0;
        } else if (k === GT) break;
        else if (k === QUOTE || k === APOSTROPHE) quote = k;
      }
      if (gt >= xml.length) return false;
      if (xml.charCodeAt(gt - 1) === SLASH) {
        this.kind = TagKind.Empty;
        this.attrEnd = gt - 1;
      } else {
        this.kind = TagKind.Open;
        this.attrEnd = gt;
        if (++this.depth > this.maxDepth) throw this.refuse('too_deep');
      }
      this.pos = gt + 1;
      return true;
    }
  }

  /** The value of the current tag's attribute with this local name, or undefined. */
  attr(local: string): string | undefined {
    const xml = this.xml;
    let i = this.attrStart;
    const end = this.attrEnd;
    while (i < end) {
      const eq = xml.indexOf('=', i);
      if (eq < 0 || eq >= end) return undefined;
      let q = eq + 1;
      while (q < end && xml.charCodeAt(q) !== QUOTE && xml.charCodeAt(q) !== APOSTROPHE) q++;
      if (q >= end) return undefined;
      const close = xml.indexOf(xml[q] as string, q + 1);
      if (close < 0 || close > end) return undefined;
      if (localName(xml, i, eq) === local) return decodeEntities(xml.slice(q + 1, close));
      i = close + 1;
    }
    return undefined;
  }

  /**
   * The text of the element just opened, up to its closing tag, with CDATA sections and character
   * references read; the scanner moves past the closing tag. Child elements' texts are joined.
   */
  text(): string {
    if (this.kind !== TagKind.Open) return '';
    const xml = this.xml;
    const first = xml.indexOf('<', this.pos);
    if (first < 0) return '';
    // The common case: plain text, then the closing tag.
    if (xml.charCodeAt(first + 1) === SLASH) {
      const raw = xml.slice(this.pos, first);
      const gt = xml.indexOf('>', first + 2);
      this.pos = gt < 0 ? xml.length : gt + 1;
      this.depth--;
      return raw.includes('&') ? decodeEntities(raw) : raw;
    }
    let text = '';
    let from = this.pos;
    const depth = this.depth;
    for (;;) {
      const lt = xml.indexOf('<', from);
      if (lt < 0) {
        this.pos = xml.length;
        return text;
      }
      text += decodeEntities(xml.slice(from, lt));
      if (xml.startsWith('<![CDATA[', lt)) {
        const close = xml.indexOf(']]>', lt + 9);
        text += xml.slice(lt + 9, close < 0 ? xml.length : close);
        from = close < 0 ? xml.length : close + 3;
        continue;
      }
      this.pos = lt;
      if (!this.next()) return text;
      if (this.depth < depth) return text;
      from = this.pos;
    }
  }

  /** Moves past the end of the element just opened (nothing to do for an empty-element tag). */
  skip(): void {
    if (this.kind !== TagKind.Open) return;
    const depth = this.depth;
    while (this.depth >= depth && this.next());
  }
}

export const enum TagKind {
  Open,
  Close,
  Empty,
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const GT = 0x3e;
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;
const COLON = 0x3a;

/** The name between `from` and `to` without its namespace prefix and surrounding spaces. */
function localName(xml: string, from: number, to: number): string {
  let start = from;
  let end = to;
  while (start < end && isSpace(xml.charCodeAt(start))) start++;
  while (end > start && isSpace(xml.charCodeAt(end - 1))) end--;
  for (let i = start; i < end; i++) if (xml.charCodeAt(i) === COLON) return xml.slice(i + 1, end);
  return xml.slice(start, end);
}

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === CR;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five entities and character references; anything else is left as it is. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref.charCodeAt(0) !== 0x23) return ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
