import { documentCatalogue, isSchoolReportPath, schoolReportPath } from '../core/documents/catalogue.js';
import type { SchoolsRow } from '../core/tab-types.generated.js';
import { printDocuments, type ManifestEntry } from './print-documents.js';
import { readRegion } from './read-region.js';
import { computeRegion, type RunPorts, type RunRequest } from './run.js';

/**
 * One document printed now (HTTP `render`), from the workbooks it needs: a school's report reads
 * only that school's workbook. `mayPrint` sees the school a report is about (undefined for the
 * documents of a municipality or the region) before anything is printed.
 */
export async function printDocument(
  request: RunRequest,
  ports: Omit<RunPorts, 'onProgress'>,
  path: string,
  mayPrint: (school: SchoolsRow | undefined) => boolean,
): Promise<ManifestEntry | 'not_found' | 'forbidden'> {
  const reading = await readRegion(
    ports.source,
    ports.rules,
    isSchoolReportPath(path) ? { only: (school) => schoolReportPath(school.code) === path } : {},
  );
  const planned = documentCatalogue(computeRegion(request, ports, reading)).find((d) => d.path === path);
  if (!planned) return 'not_found';
  if (!mayPrint(planned.scope.level === 'school' ? reading.participants[0]?.row.values : undefined)) return 'forbidden';
  const { documents } = await printDocuments([planned], request.asOf, ports);
  return documents[0] ?? 'not_found';
}
