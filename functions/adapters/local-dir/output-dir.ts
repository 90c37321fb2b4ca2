import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InfrastructureError } from '../../errors.js';
import type { OutputStore } from '../../app/ports/output-store.js';

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
    async remove(relativePath) {
      try {
        await unlink(inside(relativePath));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw new InfrastructureError('output', `Не удалось удалить «${relativePath}».`, { cause: error });
      }
    },
    async write(relativePath, data) {
      const target = inside(relativePath);
      // Per call, as for create: two writes of one name at once (concurrent notifications) must not share it.
      const temporary = `${target}.${process.pid}.${randomUUID()}.tmp`;
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(temporary, data);
        await rename(temporary, target);
      } catch (error) {
        throw new InfrastructureError('output', `Не удалось записать «${target}».`, { cause: error });
      }
    },
    // The bytes go to a temporary file first, then link() gives them the name: link fails with
    // EEXIST where the name is taken (atomic in the kernel, across processes too), and the name
    // appears only once the file is whole. The temporary name is per call: creates race in one process.
    async create(relativePath, data) {
      const target = inside(relativePath);
      const temporary = `${target}.${process.pid}.${randomUUID()}.tmp`;
      try {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(temporary, data);
        await link(temporary, target);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw new InfrastructureError('output', `Не удалось создать «${target}».`, { cause: error });
      } finally {
        await unlink(temporary).catch(() => {});
      }
    },
  };
}
