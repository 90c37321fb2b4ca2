import path from 'node:path';
import type { WorkbookSource } from '../../app/ports/workbook-source.js';
import { readXlsxWorkbook } from './workbook-file.js';

/** .xlsx files on disk: school workbooks are named relative to the registry file. */
export function localWorkbookSource(registryPath: string, maxMegabytes: number): WorkbookSource {
  const base = path.dirname(path.resolve(registryPath));
  return {
    readRegistry: () => readXlsxWorkbook(registryPath, maxMegabytes),
    async readSchoolWorkbook(reference) {
      const workbook = await readXlsxWorkbook(path.resolve(base, reference), maxMegabytes);
      return { ...workbook, name: reference };
    },
  };
}
