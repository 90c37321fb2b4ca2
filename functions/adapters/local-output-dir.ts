import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InfrastructureError } from '../errors.js';

/** Where a run puts what it produces. */
export interface OutputStore {
  /** Writes a file at a relative path; a reader never sees half a file. */
  write(relativePath: string, data: Uint8Array | string): Promise<void>;
  /** Reads a file written before; undefined when there is none. */
  read(relativePath: string): Promise<Uint8Array | undefined>;
  /** Relative paths of every file whose path starts with `prefix` ("" for all), sorted. */
  list(prefix: string): Promise<string[]>;
  /** A link that downloads the file for `seconds` without credentials, where the store can make one (S3). */
  presignedUrl?(relativePath: string, seconds: number): Promise<string>;
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
    async list(prefix) {
      try {
        const entries = await readdir(path.resolve(root), { recursive: true, withFileTypes: true });
        return entries
          .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
          .map((e) => path.relative(path.resolve(root), path.join(e.parentPath, e.name)).split(path.sep).join('/'))
          .filter((p) => p.startsWith(prefix))
          .sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new InfrastructureError('output', `Не удалось перечислить файлы каталога «${root}».`, { cause: error });
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

/** The part of a store under `prefix` ("runs/2026-11-20/"), as a store of its own. */
export function within(store: OutputStore, prefix: string): OutputStore {
  const inner: OutputStore = {
    read: (relativePath) => store.read(`${prefix}${relativePath}`),
    write: (relativePath, data) => store.write(`${prefix}${relativePath}`, data),
    list: async (start) => (await store.list(`${prefix}${start}`)).map((p) => p.slice(prefix.length)),
  };
  const presign = store.presignedUrl?.bind(store);
  if (presign) inner.presignedUrl = (relativePath, seconds) => presign(`${prefix}${relativePath}`, seconds);
  return inner;
}
