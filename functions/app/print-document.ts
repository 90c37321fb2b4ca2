import { documentCatalogue, isSchoolReportPath, schoolReportPath } from '../core/documents/catalogue.js';
import type { SchoolsRow } from '../core/tab-types.generated.js';
import { printDocuments, type ManifestEntry } from './print-documents.js';
import { readRegion } from './read-region.js';
import { computeRegion, type RunPorts, type RunRequest } from './run.js';

/** Whom a document to print is about, as its caller's access sees it: a school by its registry row, a municipality by its «Код МО», or the region. */
export type PrintSubject =
  { level: 'school'; school: SchoolsRow } | { level: 'municipality'; code: string } | { level: 'region' };

/**
 * One document printed now (HTTP `render`), from the workbooks it needs: a school's report reads
 * only that school's workbook. `mayPrint` sees whom the document is about before anything is
 * printed; for a school's report, before the school's workbook is read (only the registry is).
 */
export async function printDocument(
  request: RunRequest,
  ports: Omit<RunPorts, 'onProgress'>,
  path: string,
  mayPrint: (subject: PrintSubject) => boolean,
): Promise<ManifestEntry | 'not_found' | 'forbidden'> {
  let refused = false;
  const reading = await readRegion(
    ports.source,
    ports.rules,
    isSchoolReportPath(path)
      ? {
          only: (school) => {
            if (schoolReportPath(school.code) !== path) return false;
            refused ||= !mayPrint({ level: 'school', school });
            return !refused;
          },
        }
      : {},
  );
  if (refused) return 'forbidden';
  const planned = documentCatalogue(computeRegion(request, ports, reading)).find((d) => d.path === path);
  if (!planned) return 'not_found';
  const { scope } = planned;
  const school = reading.participants[0]?.row.values;
  const subject: PrintSubject | undefined = scope.level === 'school' ? school && { level: 'school', school } : scope;
  if (!subject || !mayPrint(subject)) return 'forbidden';
  const { documents } = await printDocuments([planned], request.asOf, ports);
  return documents[0] ?? 'not_found';
}
