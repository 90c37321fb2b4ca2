import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../functions/app/print-documents.js';
import { htmlProofText, pdfProofText, proofread } from '../support/proofreading.js';
import { runRegion } from '../support/demo-run.js';

let out: string;
/** Every text of the demo region's run a person reads: each document's PDF and the index page. */
const texts = new Map<string, string>();

beforeAll(async () => {
  out = await runRegion();
  const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8')) as {
    documents: ManifestEntry[];
  };
  for (const doc of manifest.documents)
    texts.set(doc.path, await pdfProofText(await readFile(path.join(out, doc.path))));
  texts.set('index.html', htmlProofText(await readFile(path.join(out, 'index.html'), 'utf8')));
});

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('proofreading every text of the demo region’s run', () => {
  it('reads every document', () => {
    expect(texts.size).toBeGreaterThan(15);
    for (const [file, text] of texts) expect(text.length, file).toBeGreaterThan(200);
  });

  it('finds no leaked values, Latin look-alikes, small-letter starts, misnested quotes or disagreeing stage words', () => {
    const findings = [...texts].flatMap(([file, text]) =>
      proofread(text).map((f) => `${file}: ${f.check}: …${f.context}…`),
    );
    expect(findings).toEqual([]);
  });
});
