/**
 * What rows left out of a school's tabs (rows with errors, dropped by validation) may have held:
 * the bounds an indicator could take with them, so a target is judged only where it holds whatever
 * they held (issue 16).
 */
import type { IndicatorBounds, RowsLeftOut, Uncertainty } from './indicator.js';
import type { WorkbookReading } from './read-workbook.js';
import type { TabId } from './tab-specs.js';
import type { TabRowTypes } from './tab-types.generated.js';

/** Rows of a tab left out because of errors: only their good cells are known. */
export interface LeftOut<T> {
  title: string;
  rows: Partial<T>[];
}

export function leftOutOf<K extends TabId>(reading: WorkbookReading | undefined, tab: K): LeftOut<TabRowTypes[K]> {
  const tabReading = reading?.tabs[tab];
  return {
    title: tabReading?.title ?? '',
    rows: (tabReading?.rows ?? []).filter((r) => !r.usable).map((r) => r.values as Partial<TabRowTypes[K]>),
  };
}

/** The uncertainty that `rows` of a left-out tab (those that could feed an indicator) bring, or none. */
export function uncertain(title: string, rows: number, bounds: IndicatorBounds): Uncertainty | undefined {
  return rows > 0 ? { bounds, rowsLeftOut: [{ tab: title, rows }] } : undefined;
}

/**
 * Bounds of Σ counted / Σ required when each left-out row could have added 0..its known required
 * to the denominator (unknown: no limit) and 0..min(participated, required) to the numerator.
 */
export function coverageBounds(
  counted: number,
  required: number,
  leftOut: readonly { required?: number; participated?: number }[],
): IndicatorBounds {
  let maxRequired = 0;
  let maxCounted = 0;
  for (const row of leftOut) {
    if (row.required === undefined) return { low: 0, high: 1 };
    maxRequired += row.required;
    maxCounted += Math.min(row.participated ?? row.required, row.required);
  }
  const low = required + maxRequired > 0 ? counted / (required + maxRequired) : 0;
  const high = required + maxCounted > 0 ? (counted + maxCounted) / (required + maxCounted) : low;
  return { low, high: Math.max(low, high) };
}

/**
 * Whether the documents are complete, whatever the left-out rows held: a left-out document row may
 * have been a missing document, approved; a left-out profile row may have been one more chosen
 * factor, whose «Антирисковая программа» is then missing.
 */
export function documentsCompleteUncertainty(
  missing: number,
  documents: RowsLeftOut,
  profile: RowsLeftOut,
): Uncertainty | undefined {
  const rowsLeftOut = [documents, profile].filter((r) => r.rows > 0);
  if (rowsLeftOut.length === 0) return undefined;
  const mayBeTrue = missing <= documents.rows;
  const mayBeFalse = missing > 0 || profile.rows > 0;
  return { bounds: { low: !mayBeFalse, high: mayBeTrue }, rowsLeftOut };
}

/** One entry per tab, with the largest count given for it (conditions may name the same rows). */
export function mergeRowsLeftOut(list: readonly RowsLeftOut[]): RowsLeftOut[] {
  const byTab = new Map<string, number>();
  for (const entry of list) byTab.set(entry.tab, Math.max(byTab.get(entry.tab) ?? 0, entry.rows));
  return [...byTab].map(([tab, rows]) => ({ tab, rows }));
}
