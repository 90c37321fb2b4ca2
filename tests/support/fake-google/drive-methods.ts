/** Drive v3: files.list, files.get, files.update, files.create and permissions.create. */
import { createHash, randomBytes } from 'node:crypto';
import { compileQuery, type DriveItem } from './drive-query.js';
import { ApiError, notFound, storageRefusal } from './errors.js';
import { firstSheet } from './grid.js';
import { asArray, asObject, optInt, optString, parseFieldMask, project } from './json.js';
import { driveItemFor, hasStorage, requireDriveWriter, roleOn } from './rights.js';
import { newSpreadsheetId, type FakeState } from './state.js';
import {
  DEFAULT_CALLER_EMAIL,
  FOLDER_MIME,
  SPREADSHEET_MIME,
  type Caller,
  type FakePermission,
  type FakeSpreadsheet,
  type Handler,
  type Json,
} from './types.js';

/** Drive's User resource of whoever made a file's last modification, as `caller` sees it (`me`). */
function lastModifyingUser(state: FakeState, item: DriveItem, caller: Caller): Json {
  const email = item.lastModifiedBy ?? DEFAULT_CALLER_EMAIL;
  const known = [...state.callers.values()].find((c) => c.email.toLowerCase() === email.toLowerCase());
  return {
    kind: 'drive#user',
    displayName: known?.displayName ?? email.split('@')[0] ?? email,
    emailAddress: email,
    me: email.toLowerCase() === caller.email.toLowerCase(),
    permissionId: createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 20),
  };
}

export const fileResource = (item: DriveItem, state: FakeState, caller: Caller): Json => ({
  kind: 'drive#file',
  id: item.id,
  name: item.name,
  mimeType: item.mimeType,
  modifiedTime: item.modifiedTime,
  lastModifyingUser: lastModifyingUser(state, item, caller),
  version: String(item.version),
  webViewLink:
    item.mimeType === SPREADSHEET_MIME
      ? `https://docs.google.com/spreadsheets/d/${item.id}/edit`
      : `https://drive.google.com/file/d/${item.id}/view`,
  trashed: false,
  ...(item.parents ? { parents: item.parents } : {}),
  ...(item.driveId ? { driveId: item.driveId } : {}),
});
const driveFields = (query: URLSearchParams, fallback: string): string[] =>
  parseFieldMask(query.get('fields') ?? fallback);

export function driveHandlers(state: FakeState): Record<string, Handler> {
  return {
    'drive.files.list': ({ query, caller }) => {
      const q = query.get('q');
      const predicate = q ? compileQuery(q) : () => true;
      const corpora = query.get('corpora') ?? 'user';
      const allDrives = query.get('includeItemsFromAllDrives') === 'true' && query.get('supportsAllDrives') === 'true';
      const driveId = query.get('driveId');
      if (corpora === 'drive' && !driveId) {
        throw new ApiError(400, 'The driveId parameter must be specified when the corpora parameter is drive.', {
          reason: 'invalid',
          location: 'driveId',
          locationType: 'parameter',
        });
      }
      if (driveId && !allDrives) {
        throw new ApiError(
          403,
          'The includeItemsFromAllDrives parameter must be set to true when driveId is specified.',
          { reason: 'teamDrivesParameterRequired', location: 'includeItemsFromAllDrives', locationType: 'parameter' },
        );
      }
      const files = state.driveItems().filter((item) => {
        if (!roleOn(state, caller, item.id, item.parents, item.driveId)) return false;
        if (corpora === 'drive') return item.driveId === driveId;
        if (item.driveId) return allDrives && corpora === 'allDrives';
        return true;
      });
      const listed = files.filter(predicate);
      const orderBy = (query.get('orderBy') ?? '').trim();
      if (orderBy !== '') {
        const [key, dir] = (orderBy.split(',')[0] ?? '').trim().split(/\s+/);
        const sign = dir === 'desc' ? -1 : 1;
        if (key === 'modifiedTime') {
          listed.sort((a, b) => sign * (Date.parse(a.modifiedTime) - Date.parse(b.modifiedTime)));
        } else if (key === 'name' || key === 'name_natural') {
          listed.sort((a, b) => sign * a.name.localeCompare(b.name));
        }
      }
      const pageSize = Math.min(Math.max(optInt(query.get('pageSize')) ?? 100, 1), 1000);
      const tokenText = query.get('pageToken');
      const offset = tokenText ? Number(Buffer.from(tokenText, 'base64url').toString()) : 0;
      if (!Number.isInteger(offset) || offset < 0) {
        throw new ApiError(400, 'Invalid Value', {
          reason: 'invalid',
          location: 'pageToken',
          locationType: 'parameter',
        });
      }
      const next = offset + pageSize < listed.length;
      const full = {
        kind: 'drive#fileList',
        incompleteSearch: false,
        ...(next ? { nextPageToken: Buffer.from(String(offset + pageSize)).toString('base64url') } : {}),
        files: listed.slice(offset, offset + pageSize).map((item) => fileResource(item, state, caller)),
      };
      return [
        200,
        project(full, driveFields(query, 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)')),
      ];
    },
    'drive.files.get': ({ query, params, caller }) => {
      const item = driveItemFor(state, params.fileId ?? '', caller, query, 'read');
      return [200, project(fileResource(item, state, caller), driveFields(query, 'kind,id,name,mimeType'))];
    },
    'drive.files.update': ({ query, params, caller, body }) => {
      const id = params.fileId ?? '';
      driveItemFor(state, id, caller, query, 'write');
      const b = asObject(body);
      const ss = state.spreadsheets.get(id);
      const folder = state.folders.get(id);
      if (typeof b.name === 'string') {
        if (ss) ss.title = b.name;
        if (folder) folder.name = b.name;
      }
      if (ss) state.edited(ss);
      else state.record(id, state.stamp());
      const item = driveItemFor(state, id, caller, query, 'read');
      return [200, project(fileResource(item, state, caller), driveFields(query, 'kind,id,name,mimeType'))];
    },
    'drive.files.create': ({ query, body, caller }) => {
      const b = asObject(body);
      const parents = asArray(b.parents).filter((p): p is string => typeof p === 'string');
      const allDrives = query.get('supportsAllDrives') === 'true' || query.get('supportsTeamDrives') === 'true';
      let driveId: string | undefined;
      for (const parent of parents) {
        const folder = state.folders.get(parent);
        const drive = state.sharedDrives.get(parent);
        if (!folder && !drive) throw notFound(parent);
        const inDrive = drive ? drive.id : folder?.driveId;
        if (inDrive && !allDrives) throw notFound(parent);
        const role = roleOn(state, caller, parent, folder?.parents, inDrive);
        if (!role) throw notFound(parent);
        requireDriveWriter(role);
        driveId = inDrive;
      }
      if (!driveId && !caller.isDefault && !hasStorage(caller)) throw storageRefusal('drive');
      const mimeType = optString(b.mimeType) ?? 'application/octet-stream';
      const name = optString(b.name) ?? 'Untitled';
      let item: DriveItem;
      if (mimeType === SPREADSHEET_MIME) {
        const ss: FakeSpreadsheet = {
          id: newSpreadsheetId(),
          title: name,
          modifiedTime: state.stamp(),
          sheets: [firstSheet()],
          ...(parents.length > 0 ? { parents } : {}),
          ...(driveId ? { driveId } : {}),
        };
        state.spreadsheets.set(ss.id, ss);
        state.record(ss.id, ss.modifiedTime, true);
        item = {
          id: ss.id,
          name,
          mimeType,
          modifiedTime: ss.modifiedTime,
          version: 1,
          parents,
          ...(driveId ? { driveId } : {}),
        };
      } else if (mimeType === FOLDER_MIME) {
        const id = `0${randomBytes(24).toString('base64url').slice(0, 32)}`;
        state.folders.set(id, { id, name, parents, ...(driveId ? { driveId } : {}) });
        const modifiedTime = state.stamp();
        state.record(id, modifiedTime, true);
        item = { id, name, mimeType, modifiedTime, version: 1, parents, ...(driveId ? { driveId } : {}) };
      } else {
        throw new ApiError(
          501,
          `fake-google-apis: files.create only makes folders and Google spreadsheets, not ${mimeType}`,
        );
      }
      if (!caller.isDefault) state.share(item.id, caller.email, driveId ? 'writer' : 'owner');
      return [200, project(fileResource(item, state, caller), driveFields(query, 'kind,id,name,mimeType'))];
    },
    'drive.permissions.create': ({ query, params, body, caller }) => {
      const id = params.fileId ?? '';
      driveItemFor(state, id, caller, query, 'write');
      const b = asObject(body);
      const type = optString(b.type);
      const role = optString(b.role);
      const required = (field: string) =>
        new ApiError(400, `The permission ${field} field is required.`, {
          reason: 'required',
          location: `permission.${field}`,
          locationType: 'other',
        });
      if (!type) throw required('type');
      if (!role) throw required('role');
      if (!['user', 'group', 'domain', 'anyone'].includes(type)) {
        throw new ApiError(400, `Invalid permission type: ${type}`, { reason: 'invalid' });
      }
      if (!['owner', 'organizer', 'fileOrganizer', 'writer', 'commenter', 'reader'].includes(role)) {
        throw new ApiError(400, `Invalid permission role: ${role}`, { reason: 'invalid' });
      }
      const emailAddress = optString(b.emailAddress);
      const domain = optString(b.domain);
      if ((type === 'user' || type === 'group') && !emailAddress) throw required('emailAddress');
      if (type === 'domain' && !domain) throw required('domain');
      if (role === 'owner' && query.get('transferOwnership') !== 'true') {
        throw new ApiError(
          403,
          "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
          { reason: 'forbidden', location: 'transferOwnership', locationType: 'parameter' },
        );
      }
      const permission: FakePermission = {
        id: type === 'anyone' ? 'anyoneWithLink' : state.nextPermissionId(),
        type,
        role,
        ...(emailAddress ? { emailAddress } : {}),
        ...(domain ? { domain } : {}),
      };
      const list = (state.permissions.get(id) ?? []).filter((p) => p.id !== permission.id);
      state.permissions.set(id, [...list, permission]);
      // Sharing changes the file's version but not its modifiedTime.
      const last = state.history.get(id)?.at(-1);
      state.record(id, last?.modifiedTime ?? state.spreadsheets.get(id)?.modifiedTime ?? state.stamp());
      const full = { kind: 'drive#permission', ...permission };
      return [200, query.get('fields') ? project(full, driveFields(query, '*')) : full];
    },
  };
}
