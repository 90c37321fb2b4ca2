/**
 * Rebuilds templates/fonts/*.subset.woff2 from the full PT Serif files: Latin, Cyrillic (with ё),
 * digits and the punctuation our documents use (« » — – № ≥ ≤ ± → ×, no-break spaces).
 * Documents carry the font inline; a subset keeps every page small. Run: npm run fonts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import subsetFont from 'subset-font';

const root = path.resolve(import.meta.dirname, '..');
const fonts = path.join(root, 'templates', 'fonts');

function range(from: number, to: number): string {
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('');
}

const TEXT =
  range(0x20, 0x7e) + // ASCII
  range(0xa0, 0xff) + // Latin-1: « » № … no-break space, §, °
  range(0x400, 0x45f) + // Cyrillic with Ё/ё
  range(0x2010, 0x2027) + // dashes, quotes, bullets, ellipsis
  '\u202f\u2116\u2190\u2192\u2212\u2264\u2265\u00b1\u00d7\u2030\u20bd';

for (const name of ['PTSerif-Regular', 'PTSerif-Bold', 'PTSerif-Italic']) {
  const full = await readFile(path.join(fonts, `${name}.ttf`));
  const subset = await subsetFont(full, TEXT, { targetFormat: 'woff2' });
  await writeFile(path.join(fonts, `${name}.subset.woff2`), subset);
  console.log(`${name}: ${full.length} → ${subset.length} байт`);
}
