import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepingInputs } from '../../functions/app/kept-inputs.js';
import type { OutputStore } from '../../functions/app/ports/output-store.js';
import type { PdfRenderer } from '../../functions/app/ports/pdf-renderer.js';
import { stateFor } from '../../functions/app/ports/run-state-store.js';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import { runMonitoring } from '../../functions/app/run-region.js';
import { localOutputDir } from '../../functions/adapters/local-dir/output-dir.js';
import { localWorkbookSource } from '../../functions/adapters/xlsx/files-source.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { runRegion } from '../support/demo-run.js';
import { readDocx, type DocxContent } from '../support/docx-text.js';
import { readPdf } from '../support/pdf-text.js';
import { root } from '../support/run-cli.js';

// The editable .docx twin of every printed document (render/docx/): the same text as the PDF, the
// ГОСТ Р 7.0.97-2025 layout of the orders in Word's own terms, the same bytes for the same data.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Texts compared without whitespace: lines break in other places on a PDF's page and in Word. */
const squeeze = (text: string) => text.replace(/[\s\u00a0\u202f\u00ad]+/g, '');

let out: string;
let manifest: { documents: ManifestEntry[] };

beforeAll(async () => {
  out = await runRegion();
  manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as typeof manifest;
}, 180_000);

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

const docxOf = async (entry: ManifestEntry) => readDocx(await readFile(path.join(out, entry.docx.path)));
const orders = () => manifest.documents.filter((d) => d.kind.startsWith('order-'));

describe('the .docx twins of a demo run', () => {
  it('every document has its twin beside the PDF, listed in the manifest with its hash', async () => {
    expect(manifest.documents.length).toBeGreaterThan(10);
    for (const entry of manifest.documents) {
      expect(entry.docx.path).toBe(entry.path.replace(/\.pdf$/, '.docx'));
      expect(sha256(await readFile(path.join(out, entry.docx.path))), entry.docx.path).toBe(entry.docx.sha256);
    }
    // Every kind of document the run prints has one.
    expect(new Set(manifest.documents.map((d) => d.kind))).toEqual(
      new Set([
        'school-report',
        'region-report',
        'stage-report',
        'order-low-results-list',
        'order-working-group',
        'order-network-partnership',
        'order-plan-graph',
        'order-monitoring-results',
      ]),
    );
    // Nothing else under reports/ and orders/ but the PDFs and their twins.
    const stored = async (dir: string): Promise<string[]> =>
      (await readdir(path.join(out, dir), { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => path.relative(out, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    const files = [...(await stored('reports')), ...(await stored('orders'))].sort();
    expect(files).toEqual(manifest.documents.flatMap((d) => [d.path, d.docx.path]).sort());
  });

  it('says what the PDF says: every paragraph and cell of the twin is in the PDF, and nothing of the PDF is left over', async () => {
    for (const entry of manifest.documents) {
      const pdf = await readPdf(await readFile(path.join(out, entry.path)));
      const docx = await docxOf(entry);
      const left = leftOver(pdf.text, docx, entry.kind);
      expect(left.missing, `${entry.docx.path}: paragraphs of the twin not in the PDF`).toEqual([]);
      expect(left.rest, `${entry.path}: text of the PDF not in the twin`).toBe('');
    }
  });

  it('lays the orders out after ГОСТ Р 7.0.97-2025: margins, page numbers from page 2, requisites, QR code, numbered clauses', async () => {
    expect(orders().length).toBe(6);
    for (const entry of orders()) {
      const docx = await docxOf(entry);
      const where = entry.docx.path;
      const sections = sectionsOf(docx.documentXml);
      // Margins 30 / 10 / 20 / 20 mm in twips, every section (the landscape appendix too).
      for (const s of sections) {
        expect(attributes(s, 'w:pgMar'), where).toMatchObject({
          'w:left': '1701',
          'w:right': '567',
          'w:top': '1134',
          'w:bottom': '1134',
        });
      }
      // A4 portrait for the order itself.
      expect(attributes(sections[0]!, 'w:pgSz'), where).toMatchObject({ 'w:w': '11906', 'w:h': '16838' });
      // Page numbers from page 2: a different first page whose header has no PAGE field, the other pages' has.
      expect(sections[0], where).toMatch(/<w:titlePg(?: w:val="(?:true|1|on)")?\/>/);
      const headers = headersOf(docx, sections[0]!);
      expect(hasPageField(headers.default), `${where}: page number on pages 2…`).toBe(true);
      expect(hasPageField(headers.first), `${where}: no page number on page 1`).toBe(false);
      for (const s of sections.slice(1)) {
        // Later sections (a landscape appendix) number every page, on from the order's.
        expect(s).not.toMatch(/<w:titlePg(?: w:val="(?:true|1|on)")?\/>/);
        expect(hasPageField(headersOf(docx, s).default)).toBe(true);
      }

      // Requisites in ГОСТ order, then the body.
      const texts = docx.paragraphs.map((p) => p.text);
      const kind = texts.indexOf('ПРИКАЗ');
      expect(kind, where).toBeGreaterThan(0);
      expect(texts[kind - 1], where).toMatch(/^МИНИСТЕРСТВО/); // the authority, in capitals (w:caps)
      expect(texts[kind + 1], where).toMatch(/^«____» ____________ 20___ г\.\t№ ______$/);
      const heading = docx.paragraphs[kind + 3]!;
      expect(heading.style, where).toBe('Heading1');
      const order = texts.indexOf('п р и к а з ы в а ю:');
      expect(order, where).toBeGreaterThan(kind + 3);

      // Requisite 31: a PNG picture floating at the bottom right of page 1's text area, its identifier in a frame under it.
      const media = [...docx.parts.keys()].filter((name) => /^word\/media\/.+\.png$/.test(name));
      expect(media, where).toHaveLength(1);
      expect(docx.parts.get(media[0]!)!.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      const withPicture = docx.paragraphs.findIndex((p) => p.xml.includes('<w:drawing>'));
      expect(withPicture, `${where}: the QR code is anchored on page 1, before «ПРИКАЗ»`).toBeLessThan(kind);
      const drawing = docx.paragraphs[withPicture]!.xml;
      expect(drawing).toMatch(/<wp:anchor\b/);
      expect(drawing).toMatch(/<wp:positionH relativeFrom="margin"><wp:align>right<\/wp:align>/);
      expect(drawing).toMatch(/<wp:positionV relativeFrom="margin"><wp:posOffset>\d+<\/wp:posOffset>/);
      expect(drawing).toMatch(/<wp:extent cx="895350" cy="895350"\/>/); // 25 mm square
      const embed = /<a:blip r:embed="([^"]+)"/.exec(drawing)![1]!;
      const rels = docx.parts.get('word/_rels/document.xml.rels')!.toString('utf8');
      expect(rels).toContain(`Id="${embed}"`);
      expect(rels).toMatch(
        new RegExp(`Id="${embed}"[^>]*Target="media/[^"]+\\.png"|Target="media/[^"]+\\.png"[^>]*Id="${embed}"`),
      );
      const caption = docx.paragraphs.find((p) => p.xml.includes('<w:framePr'));
      expect(caption?.text, where).toMatch(/^M500-[0-9a-f]{12}$/);
      expect((await readPdf(await readFile(path.join(out, entry.path)))).text).toContain(caption!.text);

      // Clauses: Word numbering (w:numPr), «1.» … and «1.1.» … from numbering.xml, not typed numbers.
      const signature = docx.paragraphs.findIndex((p, i) => i > order && !p.numbering && p.text !== '');
      const clauses = docx.paragraphs.slice(order + 1, signature).filter((p) => p.text !== '');
      expect(clauses.length, where).toBeGreaterThanOrEqual(2);
      let top = 0;
      let sub = 0;
      for (const clause of clauses) {
        expect(clause.xml, `${where}: «${clause.text}» is a list item`).toMatch(/<w:numPr>/);
        expect(clause.text).not.toMatch(/^\d+\./);
        expect(clause.numbering?.numId).toBe(clauses[0]!.numbering?.numId);
        if (clause.numbering?.level === 0) {
          top += 1;
          sub = 0;
          expect(clause.label).toBe(`${top}.`);
        } else {
          sub += 1;
          expect(clause.label).toBe(`${top}.${sub}.`);
        }
      }
      // The last clause leaves control to the signer.
      expect(clauses.at(-1)!.text).toBe('Контроль за исполнением настоящего приказа оставляю за собой.');

      // Appendices: each on a new page (or a new section) under its stamp, tables with a header row.
      const stamps = docx.paragraphs.filter((p) => /^Приложение( \d+)?\nк приказу от\u00a0/.test(p.text));
      expect(stamps.length, where).toBeGreaterThanOrEqual(1);
      const pdfText = (await readPdf(await readFile(path.join(out, entry.path)))).text;
      expect(pdfText.match(/Приложение( \d+)? к приказу от/g)?.length).toBe(stamps.length);
      const tables = [...docx.documentXml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((t) => t[1]!);
      // The signature is a borderless table; every appendix table repeats its header row.
      expect(tables.filter((t) => t.includes('<w:tblHeader')).length, where).toBe(tables.length - 1);
    }
    // The low-results list is printed on landscape pages, as the PDF's appendix.
    const low = await docxOf(orders().find((d) => d.kind === 'order-low-results-list')!);
    const lowSections = sectionsOf(low.documentXml);
    expect(lowSections).toHaveLength(2);
    expect(attributes(lowSections[1]!, 'w:pgSz')).toMatchObject({
      'w:w': '16838',
      'w:h': '11906',
      'w:orient': 'landscape',
    });
  });

  it('sets the reports as the PDF does: margins, page numbers from page 2, headings, tables; the PDF serif as the font', async () => {
    for (const entry of manifest.documents.filter((d) => !d.kind.startsWith('order-'))) {
      const docx = await docxOf(entry);
      const [only, ...more] = sectionsOf(docx.documentXml);
      expect(more).toEqual([]);
      expect(attributes(only!, 'w:pgMar'), entry.docx.path).toMatchObject({
        'w:left': '1417',
        'w:right': '850',
        'w:top': '1134',
        'w:bottom': '1134',
      });
      expect(only).toMatch(/<w:titlePg(?: w:val="(?:true|1|on)")?\/>/);
      expect(hasPageField(headersOf(docx, only!).default)).toBe(true);
      expect(hasPageField(headersOf(docx, only!).first)).toBe(false);
      expect(docx.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text)).toHaveLength(1);
      expect(docx.paragraphs.filter((p) => p.style === 'Heading2').length).toBeGreaterThanOrEqual(3);
      expect(docx.documentXml).toMatch(/<w:tblHeader/);
    }
    for (const entry of manifest.documents) {
      const styles = (await docxOf(entry)).parts.get('word/styles.xml')!.toString('utf8');
      expect(/<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)?.[0]).toMatch(/w:ascii="PT Serif"/);
      // The core properties carry the run's date, not the time of packing.
      const core = (await docxOf(entry)).parts.get('docProps/core.xml')!.toString('utf8');
      expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-20T00:00:00Z</dcterms:created>');
      expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-20T00:00:00Z</dcterms:modified>');
    }
  });

  // Another program reads our files: LibreOffice converts each twin to PDF with the same text. The
  // assertion is skipped only where soffice is not installed (it needs LibreOffice Writer, e.g. the
  // Debian package libreoffice-writer-nogui).
  const soffice = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((file) => existsSync(file));
  it.skipIf(!soffice)(
    'LibreOffice opens every twin',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'm500-soffice-'));
      try {
        const inputs = path.join(dir, 'in');
        await mkdir(inputs);
        // Flat names: two twins may share a base name (reports/region.docx and a municipality's).
        const named = manifest.documents.map((d, i) => ({ entry: d, name: `doc-${String(i).padStart(2, '0')}` }));
        for (const { entry, name } of named)
          await cp(path.join(out, entry.docx.path), path.join(inputs, `${name}.docx`));
        await promisify(execFile)(
          soffice!,
          [
            '--headless',
            `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
            '--convert-to',
            'pdf',
            '--outdir',
            path.join(dir, 'pdf'),
            ...named.map(({ name }) => path.join(inputs, `${name}.docx`)),
          ],
          { timeout: 170_000 },
        );
        for (const { entry, name } of named) {
          const converted = await readPdf(await readFile(path.join(dir, 'pdf', `${name}.pdf`)));
          // LibreOffice writes the non-breaking hyphen (U+2011) of «2‑е место» as a hyphen-minus.
          const lo = (text: string) => squeeze(text).replace(/\u2011/g, '-');
          const docx = await docxOf(entry);
          const title = docx.paragraphs.find((p) => p.style === 'Heading1')!.text;
          expect(lo(converted.text), entry.docx.path).toContain(lo(title));
          // Word's text, as LibreOffice lays it out, is the twin's: every paragraph is there.
          // A frame's text (the QR code's identifier) is written where the frame sits on the page, inside another paragraph's lines.
          const framed = docx.paragraphs.filter((p) => p.xml.includes('<w:framePr'));
          for (const p of framed) expect(lo(converted.text), entry.docx.path).toContain(lo(p.text));
          const text = framed.reduce((t, p) => t.replace(lo(p.text), ''), lo(converted.text));
          for (const p of docx.paragraphs.filter((p) => p.text.trim() && !p.inHeaderRow && !framed.includes(p))) {
            expect(text, entry.docx.path).toContain(lo(p.text));
          }
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

/**
 * What is left of the PDF's text once every paragraph of the twin (with its list label) is taken
 * out of it, longest first, and which paragraphs were not found. Documented differences:
 * - a table's header row repeats on each page of the PDF (and of Word's layout, but only once in the text);
 * - the PDF's running page numbers (readPdf leaves them out);
 * - the school report's chart (its axis, legend and caption) is not in the twin: the table under
 *   it holds the same numbers.
 * Bullets are drawn, not written, in both.
 */
function leftOver(pdfText: string, docx: DocxContent, kind: string): { missing: string[]; rest: string } {
  let text = squeeze(pdfText);
  if (kind === 'school-report') {
    const heading = squeeze('6. Результаты оценочных процедур');
    const table = squeeze('Год Участников Доля «2» Доля «4» и «5»');
    const start = text.indexOf(heading);
    const end = text.indexOf(table, start);
    if (start >= 0 && end > start) text = text.slice(0, start + heading.length) + '\u0000' + text.slice(end);
  }
  for (const header of new Set(docx.headerRows.map(squeeze))) {
    if (!text.includes(header)) return { missing: [header], rest: '' };
    text = text.split(header).join('\u0000');
  }
  const pieces = docx.paragraphs
    .filter((p) => !p.inHeaderRow)
    .map((p) => squeeze(`${p.label}${p.text}`))
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
  const missing: string[] = [];
  for (const piece of pieces) {
    const at = text.indexOf(piece);
    if (at < 0) missing.push(piece);
    else text = `${text.slice(0, at)}\u0000${text.slice(at + piece.length)}`;
  }
  return { missing, rest: text.replace(/\u0000/g, '') };
}

/** Each section's properties (w:sectPr), in order. */
function sectionsOf(xml: string): string[] {
  return [...xml.matchAll(/<w:sectPr\b[^>]*>([\s\S]*?)<\/w:sectPr>/g)].map((m) => m[1]!);
}

/** The attributes of the first `name` element in `xml`. */
function attributes(xml: string, name: string): Record<string, string> {
  const element = new RegExp(`<${name}\\b([^>]*)/?>`).exec(xml)?.[1] ?? '';
  return Object.fromEntries([...element.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** The header parts a section refers to, by type (default, first). */
function headersOf(docx: DocxContent, section: string): Record<string, string | undefined> {
  const rels = docx.parts.get('word/_rels/document.xml.rels')!.toString('utf8');
  const headers: Record<string, string | undefined> = {};
  for (const [, type = '', id = ''] of section.matchAll(/<w:headerReference w:type="(\w+)" r:id="(\w+)"\/>/g)) {
    const target = new RegExp(`<Relationship[^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
    headers[type] = target && docx.parts.get(`word/${target}`)?.toString('utf8');
  }
  return headers;
}

/** Whether a header holds a PAGE field (the current page's number). */
function hasPageField(xml: string | undefined): boolean {
  return !!xml && (/<w:instrText[^>]*>\s*PAGE\b/.test(xml) || /<w:fldSimple w:instr="\s*PAGE\b/.test(xml));
}

describe('print records of the twins', () => {
  const DEMO = path.join(root, 'examples', 'demo-region');
  const rules = monitoringRules();
  let dir: string;
  let region: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'm500-twins-'));
    region = path.join(dir, 'region');
    await cp(path.join(DEMO, 'registry.xlsx'), path.join(region, 'registry.xlsx'));
    await cp(path.join(DEMO, 'schools'), path.join(region, 'schools'), { recursive: true });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A renderer without Chromium: a one-page PDF per document. */
  const renderer: PdfRenderer = {
    async render() {
      const pdf = await PDFDocument.create();
      pdf.addPage();
      return pdf.save();
    },
    close: async () => undefined,
  };

  /** One run as `monitor500 run` composes it, and the documents it wrote (PDFs and twins). */
  async function run(out: string) {
    const local = localOutputDir(out);
    const written: string[] = [];
    const output: OutputStore = {
      ...local,
      write: (relativePath, data) => {
        if (/^(reports|orders)\//.test(relativePath)) written.push(relativePath);
        return local.write(relativePath, data);
      },
    };
    const state = stateFor(output);
    const summary = await runMonitoring(
      { asOf: '2026-11-20', stage: 'промежуточный' },
      {
        source: keepingInputs(localWorkbookSource(path.join(region, 'registry.xlsx'), 20), state),
        renderer,
        output,
        state,
        rules,
      },
    );
    const docx = written.filter((p) => p.endsWith('.docx')).sort();
    const pdf = written.filter((p) => p.endsWith('.pdf')).sort();
    return { summary, docx, pdf };
  }

  it('a rerun with the same data writes no twin again; a changed school rewrites its own twin, and no other school’s', async () => {
    const out = path.join(dir, 'out');
    const first = await run(out);
    expect(first.docx).toEqual(first.summary.documents.map((d) => d.docx.path).sort());
    const records = JSON.parse(
      await readFile(path.join(out, '.state', 'printed', 'orders', 'working-group.pdf.json'), 'utf8'),
    ) as {
      docx?: { path: string; sha256: string };
    };
    expect(records.docx).toEqual({
      path: 'orders/working-group.docx',
      sha256: sha256(await readFile(path.join(out, 'orders', 'working-group.docx'))),
    });

    const again = await run(out);
    expect(again.docx).toEqual([]);
    expect(again.pdf).toEqual([]);
    expect(again.summary.documents).toEqual(first.summary.documents);

    // The same data printed into another place later gives the same bytes (dates are the run's, not the clock's).
    const elsewhere = await run(path.join(dir, 'elsewhere'));
    expect(elsewhere.summary.documents.map((d) => d.docx)).toEqual(first.summary.documents.map((d) => d.docx));

    // Another school's workbook in place of 56-002's.
    const changed = path.join(region, 'schools', '56-002.xlsx');
    const before = await stat(changed);
    await writeFile(changed, await readFile(path.join(region, 'schools', '56-005.xlsx')));
    await utimes(changed, before.atime, before.mtime);
    const third = await run(out);
    expect(third.docx).toContain('reports/schools/56-002.docx');
    expect(third.docx.filter((p) => p.startsWith('reports/schools/'))).toEqual(['reports/schools/56-002.docx']);
    // A twin is written again only with its PDF (what both are made from changed), never on its own.
    for (const twin of third.docx) expect(third.pdf).toContain(twin.replace(/\.docx$/, '.pdf'));
    expect(third.docx.length).toBeLessThan(third.summary.documents.length);
    const changedTwins = third.summary.documents.filter(
      (d, i) => d.docx.sha256 !== first.summary.documents[i]!.docx.sha256,
    );
    expect(changedTwins.map((d) => d.docx.path).sort()).toEqual(third.docx);
  }, 120_000);
});
