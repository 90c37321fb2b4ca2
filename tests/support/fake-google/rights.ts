/** Who may do what: roles on files, folders and shared drives, and the refusals Sheets and Drive give. */
import type { DriveItem } from './drive-query.js';
import { ApiError, NO_PERMISSION, notFound } from './errors.js';
import type { FakeState } from './state.js';
import { SPREADSHEET_MIME, type Caller, type FakeRole, type FakeSpreadsheet } from './types.js';

const ROLE_RANK: Record<string, number> = {
  reader: 1,
  commenter: 2,
  writer: 3,
  fileOrganizer: 3,
  organizer: 4,
  owner: 4,
};

/** The folder or shared drive IDs above a file, nearest first. */
function ancestors(state: FakeState, parents: string[] | undefined, driveId: string | undefined): string[] {
  const out: string[] = [];
  const queue = [...(parents ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() ?? '';
    if (out.includes(id)) continue;
    out.push(id);
    queue.push(...(state.folders.get(id)?.parents ?? []));
  }
  if (driveId && !out.includes(driveId)) out.push(driveId);
  return out;
}

function bestRole(a: FakeRole | undefined, b: string | undefined): FakeRole | undefined {
  if (b === undefined || !(b in ROLE_RANK)) return a;
  const asRole: FakeRole = (ROLE_RANK[b] ?? 0) >= 4 ? 'owner' : (ROLE_RANK[b] ?? 0) >= 3 ? 'writer' : (b as FakeRole);
  return a === undefined || (ROLE_RANK[asRole] ?? 0) > (ROLE_RANK[a] ?? 0) ? asRole : a;
}

/** The caller's best role on a file: its own, or one inherited from a folder or shared drive above it. */
export function roleOn(
  state: FakeState,
  caller: Caller,
  id: string,
  parents: string[] | undefined,
  driveId: string | undefined,
): FakeRole | undefined {
  if (caller.isDefault) return 'owner';
  let role: FakeRole | undefined;
  for (const target of [id, ...ancestors(state, parents, driveId)]) {
    role = bestRole(role, state.roles.get(target)?.get(caller.email.toLowerCase()));
    for (const p of state.permissions.get(target) ?? []) {
      if (p.type === 'anyone' || p.emailAddress?.toLowerCase() === caller.email.toLowerCase()) {
        role = bestRole(role, p.role);
      }
    }
  }
  // A shared drive member's "owner"-level role is organizer; the file itself belongs to the drive.
  if (driveId && role === 'owner' && state.roles.get(id)?.get(caller.email.toLowerCase()) !== 'owner') role = 'writer';
  return role;
}

const insufficient = () =>
  new ApiError(403, 'The user does not have sufficient permissions for this file.', {
    reason: 'insufficientFilePermissions',
  });

/** Drive's refusal when `role` may not write: 403 insufficientFilePermissions. */
export function requireDriveWriter(role: FakeRole): void {
  if ((ROLE_RANK[role] ?? 0) < 3) throw insufficient();
}

/** The spreadsheet for the Sheets API, or Google's refusal: 404, 403 without a role, 400 for an Excel file. */
export function sheetFor(
  state: FakeState,
  id: string,
  caller: Caller,
  need: 'read' | 'write',
): { ss: FakeSpreadsheet; role: FakeRole } {
  const ss = state.spreadsheets.get(id);
  if (!ss) throw new ApiError(404, 'Requested entity was not found.');
  const role = roleOn(state, caller, ss.id, ss.parents, ss.driveId);
  if (!role) throw new ApiError(403, NO_PERMISSION);
  if (need === 'write' && (ROLE_RANK[role] ?? 0) < 3) throw new ApiError(403, NO_PERMISSION);
  if ((ss.mimeType ?? SPREADSHEET_MIME) !== SPREADSHEET_MIME) {
    throw new ApiError(400, 'This operation is not supported for this document', { status: 'FAILED_PRECONDITION' });
  }
  return { ss, role };
}

/** A Drive file the caller sees, or 404 (unknown, no role, or in a shared drive without supportsAllDrives). */
export function driveItemFor(
  state: FakeState,
  id: string,
  caller: Caller,
  query: URLSearchParams,
  need: 'read' | 'write',
): DriveItem {
  const item = state.driveItems().find((f) => f.id === id);
  if (!item) throw notFound(id);
  if (item.driveId && query.get('supportsAllDrives') !== 'true' && query.get('supportsTeamDrives') !== 'true') {
    throw notFound(id);
  }
  const role = roleOn(state, caller, item.id, item.parents, item.driveId);
  if (!role) throw notFound(id);
  if (need === 'write') requireDriveWriter(role);
  return item;
}

/** Whether files can be owned in the caller's My Drive. */
export const hasStorage = (caller: Caller) => caller.storageQuota ?? caller.kind === 'user';
