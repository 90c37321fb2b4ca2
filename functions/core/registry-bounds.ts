/**
 * What rows left out of the registry's tabs (rows with errors, dropped by validation) may have held:
 * which municipality a left-out row may count for, and the bounds of the areas' counts (issue 16,
 * for the registry's tabs; the school workbooks' are in left-out-bounds.ts).
 */
import type { IndicatorBounds } from './indicator.js';
import { leftOutOf, type LeftOut } from './left-out-bounds.js';
import type { WorkbookReading } from './read-workbook.js';
import type { CuratorWorkRow } from './tab-types.generated.js';
import { textKey } from './text-key.js';

/** A left-out row of the registry and whether it may count for a municipality (by its code). */
export interface PlacedRow<T> {
  values: Partial<T>;
  mayBelongTo: (municipality: string) => boolean;
}

/**
 * The municipality a row of «Работа кураторов» counts for: its school's; without a school, the one
 * its «Код МО» names (typed as in «Муниципалитеты» up to case and spaces); with neither, none (the
 * region only — so does every row of a workbook made before the column was added).
 */
export function curatorWorkMunicipality(
  row: Partial<Pick<CuratorWorkRow, 'schoolCode' | 'municipalityCode'>>,
  municipalityOf: ReadonlyMap<string, string>,
  municipalityCodes: ReadonlyMap<string, string>,
): string | undefined {
  if (row.schoolCode !== undefined) return municipalityOf.get(row.schoolCode);
  if (row.municipalityCode !== undefined) return municipalityCodes.get(textKey(row.municipalityCode));
  return undefined;
}

/** The left-out rows that may count for a municipality. */
export function leftOutIn<T>(title: string, rows: readonly PlacedRow<T>[], municipality: string): LeftOut<T> {
  return { title, rows: rows.filter((r) => r.mayBelongTo(municipality)).map((r) => r.values) };
}

/**
 * Left-out rows of «Работа кураторов», each placed as a usable row would be: its school's
 * municipality; without a school, its «Код МО»'s; with neither, the region's only. A cell typed but
 * unread (bad) may have named any school or municipality.
 */
export function curatorWorkLeftOut(
  registry: WorkbookReading,
  municipalityOf: ReadonlyMap<string, string>,
  municipalityCodes: ReadonlyMap<string, string>,
): { title: string; rows: PlacedRow<CuratorWorkRow>[] } {
  const tab = registry.tabs['curator-work'];
  const rows = (tab?.rows ?? [])
    .filter((r) => !r.usable)
    .map((r): PlacedRow<CuratorWorkRow> => {
      const values = r.values as Partial<CuratorWorkRow>;
      const typed = (key: string) => String(r.typed[key] ?? '').trim() !== '';
      // The cell that decides the place was typed but not read: it may have named any.
      const unread =
        values.schoolCode === undefined &&
        (typed('schoolCode') || (values.municipalityCode === undefined && typed('municipalityCode')));
      const code = curatorWorkMunicipality(values, municipalityOf, municipalityCodes);
      return { values, mayBelongTo: unread ? () => true : (m: string) => m === code };
    });
  return { title: tab?.title ?? '', rows };
}

/** Left-out rows of a tab keyed by school: a row may be any school's when its code was not read. */
export function schoolPlacedLeftOut<K extends 'network-partnership' | 'satisfaction' | 'assessment-results'>(
  registry: WorkbookReading,
  tab: K,
  belongs: (schoolCode: string, municipality: string) => boolean,
) {
  const out = leftOutOf(registry, tab);
  return {
    title: out.title,
    rows: out.rows.map((values) => ({
      values,
      mayBelongTo: (m: string) => values.schoolCode === undefined || belongs(values.schoolCode, m),
    })),
  };
}

/** Bounds of a count that `may` left-out rows could each have added one to. */
export function countBounds(count: number, may: number): IndicatorBounds {
  return { low: count, high: count + may };
}
