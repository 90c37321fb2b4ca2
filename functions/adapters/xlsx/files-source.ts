import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { WorkbookSource } from '../../app/ports/workbook-source.js';
import { readXlsxWorkbook } from './workbook-file.js';

/**
 * A file's state without reading it: size, modification and change times (ns) and identity. Any
 * write changes the change time, which no program can set back, and a file put in its place
 * (copied, restored, checked out) is another inode: the same stamp is the same bytes.
 */
async function fileStamp(file: string): Promise<string | undefined> {
  try {
    const s = await stat(file, { bigint: true });
    return `file:${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    // Missing or unreadable: nothing to compare; the read says what is wrong.
    return undefined;
  }
}

/** .xlsx files on disk: school workbooks are named relative to the registry file. */
export function localWorkbookSource(registryPath: string, maxMegabytes: number): WorkbookSource {
  const base = path.dirname(path.resolve(registryPath));
  return {
    readRegistry: () => readXlsxWorkbook(registryPath, maxMegabytes),
    async readSchoolWorkbook(reference) {
      const workbook = await readXlsxWorkbook(path.resolve(base, reference), maxMegabytes);
      return { ...workbook, name: reference };
    },
    stamp: (reference) => fileStamp(reference === undefined ? registryPath : path.resolve(base, reference)),
  };
}
