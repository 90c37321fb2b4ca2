import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  // Works from functions/ (tsx, vitest) and from dist/functions/ (compiled) alike.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'monitor500'
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('Не найден корень проекта monitor500');
    dir = parent;
  }
}

/** Absolute path of the project root: where schemas/, templates/ and config/ live. */
export const projectRoot = findRoot();

/** Absolute path of a file inside the project. */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot, ...parts);
}
