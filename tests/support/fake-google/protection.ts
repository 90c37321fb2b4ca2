/** Protected ranges: who may edit what, and what a write needs to know about its caller. */
import { badRequest, PROTECTED_MESSAGE } from './errors.js';
import type { Box } from './grid.js';
import { asArray, asObject, optInt } from './json.js';
import type { FakeSheet, FakeSpreadsheet, Json } from './types.js';

interface Counters {
  nextSheetId(ss: FakeSpreadsheet): number;
  nextProtectedRangeId(): number;
}

/** What a batchUpdate needs to know about its caller. */
export interface WriteContext extends Counters {
  /** The caller's e-mail, added to the editors of a protected range it creates. */
  email: string;
  /** Throws when the caller may not edit `box` of `sheet` (undefined: the sheet itself) — protected ranges. */
  guard(sheet: FakeSheet, box: Box | undefined, where?: string): void;
}

/** A protected range as a box of its sheet (missing bounds = unbounded). */
function protectedBox(range: unknown): Box {
  const r = asObject(range);
  return {
    r0: optInt(r.startRowIndex) ?? 0,
    r1: optInt(r.endRowIndex) ?? Infinity,
    c0: optInt(r.startColumnIndex) ?? 0,
    c1: optInt(r.endColumnIndex) ?? Infinity,
  };
}

const overlaps = (a: Box, b: Box) => a.r0 < b.r1 && b.r0 < a.r1 && a.c0 < b.c1 && b.c0 < a.c1;

/** Whether a caller may edit a protected range: a warning-only range, or one naming the caller among its editors. */
export function canEditProtected(p: Json, email: string): boolean {
  const editors = asObject(p.editors);
  return p.warningOnly === true || asArray(editors.users).includes(email) || editors.domainUsersCanEdit === true;
}

/** Google's check: a write touching a protected range (not warningOnly) whose editors lack the caller fails. */
export function checkProtection(sheet: FakeSheet, box: Box | undefined, email: string, where?: string): void {
  for (const pr of sheet.protectedRanges ?? []) {
    const p = asObject(pr);
    if (canEditProtected(p, email)) continue;
    if (box && (box.r1 <= box.r0 || box.c1 <= box.c0)) continue;
    if (box === undefined || overlaps(box, protectedBox(p.range))) {
      throw badRequest(where ? `Invalid ${where}: ${PROTECTED_MESSAGE}` : PROTECTED_MESSAGE);
    }
  }
}
