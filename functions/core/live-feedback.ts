/**
 * Live feedback's decisions, without input or output (app/live-feedback.ts does the rest): which
 * changes concern a school's workbook, which workbooks are due an answer, when the next one will
 * be, and when the push channel is renewed.
 */

/** A changed file as the change feed lists it (app/ports/drive-changes.ts's DriveChange). */
export interface ListedChange {
  fileId: string;
  /** The file's modification time as Drive lists it now (RFC 3339); undefined when removed. */
  modifiedTime: string | undefined;
  removed: boolean;
  /** A Google spreadsheet (the only files whose edits we answer). */
  spreadsheet: boolean;
  /** The last modification was ours (our write-back of findings), not a person's edit. */
  ours: boolean;
}

/** One school workbook's state: its last edit seen in the change feed, and the edit last answered. */
export interface LiveWorkbook {
  fileId: string;
  /** modifiedTime of the latest edit the change feed listed (RFC 3339). */
  modifiedTime: string;
  /** modifiedTime listed before the read whose findings were written back last; none: never answered. */
  answered?: string;
}

const ms = (time: string | undefined) => (time === undefined ? NaN : Date.parse(time));

/**
 * The latest edit of each participant's workbook among `changes`: spreadsheets only, not removed,
 * not our own write-back, not the registry, and only files the registry names as a participant's
 * «Таблица школы» (`participants`).
 */
export function schoolEdits(
  changes: readonly ListedChange[],
  participants: ReadonlySet<string>,
  registryFileId: string | undefined,
): Map<string, string> {
  const latest = new Map<string, string>();
  for (const change of changes) {
    if (!change.spreadsheet || change.removed || change.ours || change.modifiedTime === undefined) continue;
    if (change.fileId === registryFileId || !participants.has(change.fileId)) continue;
    if (Number.isNaN(ms(change.modifiedTime))) continue;
    const known = latest.get(change.fileId);
    if (known === undefined || ms(change.modifiedTime) > ms(known)) latest.set(change.fileId, change.modifiedTime);
  }
  return latest;
}

/** The modification time to keep as pending: the later of the kept one and the listed one (never goes back). */
export function laterEdit(kept: string | undefined, listed: string): string {
  return kept !== undefined && ms(kept) >= ms(listed) ? kept : listed;
}

/** An edit not answered yet: newer than the one answered last. */
export function unanswered(workbook: LiveWorkbook): boolean {
  return workbook.answered === undefined || ms(workbook.modifiedTime) > ms(workbook.answered);
}

/** When an unanswered workbook's quiet period ends: its last edit plus `quietSeconds`. */
export function dueAt(workbook: LiveWorkbook, quietSeconds: number): Date {
  return new Date(ms(workbook.modifiedTime) + quietSeconds * 1000);
}

/** The workbooks to answer now: unanswered, and last edited at least `quietSeconds` ago. */
export function dueWorkbooks(workbooks: readonly LiveWorkbook[], now: Date, quietSeconds: number): LiveWorkbook[] {
  return workbooks.filter((w) => unanswered(w) && dueAt(w, quietSeconds).getTime() <= now.getTime());
}

/** The earliest moment an unanswered workbook still inside its quiet period becomes due; undefined: none waits. */
export function nextDue(workbooks: readonly LiveWorkbook[], now: Date, quietSeconds: number): Date | undefined {
  const times = workbooks
    .filter((w) => unanswered(w))
    .map((w) => dueAt(w, quietSeconds).getTime())
    .filter((t) => t > now.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

/** A push channel is renewed when there is none, or when it expires within `renewBeforeSeconds`. */
export function channelNeedsRenewal(
  channel: { expiration: string } | undefined,
  now: Date,
  renewBeforeSeconds: number,
): boolean {
  if (!channel) return true;
  const expires = ms(channel.expiration);
  return Number.isNaN(expires) || expires - now.getTime() <= renewBeforeSeconds * 1000;
}
