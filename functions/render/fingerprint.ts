import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../project-files.js';

let fingerprint: string | undefined;

/** Every file under `dir`, by relative path, sorted: the same tree gives the same list. */
function filesUnder(dir: string, prefix = ''): { name: string; file: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const file = path.join(dir, entry.name);
      const name = `${prefix}${entry.name}`;
      return entry.isDirectory() ? filesUnder(file, `${name}/`) : [{ name, file }];
    });
}

/**
 * What decides a document's HTML and PDF besides its view: the templates, partials, styles and
 * fonts (templates/), and the code of this render step (templates' helpers, charts, the QR
 * requisite, finalizePdf). A print record keyed by the view and this fingerprint is still the
 * document the same run would print; any change here prints every document again. Read once per
 * process (a few files, ~2 MB).
 */
export function renderFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const trees = [
    ['templates', projectPath('templates')],
    ['render', path.dirname(fileURLToPath(import.meta.url))],
  ] as const;
  for (const [tree, dir] of trees) {
    for (const { name, file } of filesUnder(dir)) {
      hash.update(`${tree}/${name}\0`);
      hash.update(readFileSync(file));
      hash.update('\0');
    }
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}
