import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';

/** Where a run puts what it produces. */
export interface OutputStore {
  /** Writes a file at a relative path; a reader never sees half a file. */
  write(relativePath: string, data: Uint8Array | string): Promise<void>;
  /** Reads a file written before; undefined when there is none. */
  read(relativePath: string): Promise<Uint8Array | undefined>;
}

/** An output directory on the local disk. */
export function localOutputDir(root: string): OutputStore {
  const inside = (relativePath: string) => {
    const target = path.resolve(root, relativePath);
    if (!target.startsWith(path.resolve(root) + path.sep)) {
      throw new InfrastructureError('output', `Путь «${relativePath}» выходит за пределы каталога результатов.`);
    }
    return target;
  };
  return {
    async read(relativePath) {
      try {
        return new Uint8Array(await readFile(inside(relativePath)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new InfrastructureError('output', `Не удалось прочитать «${relativePath}».`, { cause: error });
      }
    },
    async write(relativePath, data) {
      const target = inside(relativePath);
      const temporary = `${target}.${process.pid}.tmp`;
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(temporary, data);
        await rename(temporary, target);
      } catch (error) {
        throw new InfrastructureError('output', `Не удалось записать «${target}».`, { cause: error });
      }
    },
  };
}
