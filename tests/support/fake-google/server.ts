/** The HTTP server: routes each request by the discovery documents, validates it, applies faults and quota. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkBody,
  checkFieldsParam,
  checkQuery,
  decode,
  findMethod,
  type MatchedMethod,
  type Refusal,
} from '../google-discovery-validator.js';
import { driveChangeHandlers } from './drive-changes.js';
import { driveHandlers, fileResource } from './drive-methods.js';
import { roleOn } from './rights.js';
import { ApiError, badRequest, faultError, fromRefusal, PAYLOAD_LIMIT } from './errors.js';
import { parseFieldMask, project } from './json.js';
import { chargeQuota } from './quota.js';
import { spreadsheetsHandlers } from './sheets-spreadsheets.js';
import { valuesHandlers } from './sheets-values.js';
import { FakeState } from './state.js';
import {
  DEFAULT_CALLER_EMAIL,
  type Caller,
  type FakeGoogleApis,
  type FakeRequest,
  type FakeRole,
  type Handler,
} from './types.js';

/** The fake's op names (kept from before the discovery documents) by discovery method id. */
const OPS: Record<string, string> = {
  'sheets.spreadsheets.get': 'spreadsheets.get',
  'sheets.spreadsheets.create': 'create',
  'sheets.spreadsheets.batchUpdate': 'batchUpdate',
  'sheets.spreadsheets.values.get': 'values.get',
  'sheets.spreadsheets.values.batchGet': 'values.batchGet',
  'sheets.spreadsheets.values.update': 'values.update',
  'sheets.spreadsheets.values.append': 'values.append',
  'sheets.spreadsheets.values.clear': 'values.clear',
  'sheets.spreadsheets.values.batchUpdate': 'values.batchUpdate',
  'drive.files.get': 'files.get',
  'drive.files.list': 'files.list',
  'drive.files.create': 'files.create',
  'drive.files.update': 'files.update',
  'drive.permissions.create': 'permissions.create',
};

const SHEETS_READS = new Set([
  'sheets.spreadsheets.get',
  'sheets.spreadsheets.getByDataFilter',
  'sheets.spreadsheets.values.get',
  'sheets.spreadsheets.values.batchGet',
  'sheets.spreadsheets.values.batchGetByDataFilter',
  'sheets.spreadsheets.developerMetadata.get',
  'sheets.spreadsheets.developerMetadata.search',
]);
const requestKind = (methodId: string): 'read' | 'write' =>
  methodId.startsWith('sheets.')
    ? SHEETS_READS.has(methodId)
      ? 'read'
      : 'write'
    : /\.(get|list|export|watch|getStartPageToken|stop)$/.test(methodId)
      ? 'read'
      : 'write';

function send(res: ServerResponse, rec: FakeRequest, status: number, payload: unknown): void {
  rec.status = status;
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

function callerOf(state: FakeState, authorization: string): Caller | undefined {
  const m = /^Bearer\s+(\S+)/i.exec(authorization);
  if (!m) return undefined;
  const token = m[1] ?? '';
  const known = state.callers.get(token);
  return known
    ? { ...known, token, isDefault: false }
    : { email: DEFAULT_CALLER_EMAIL, kind: 'user', storageQuota: true, token, isDefault: true };
}

async function handle(
  state: FakeState,
  handlers: Record<string, Handler>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const path = decode(url.pathname);
  const raw = await readBody(req);
  const text = raw.length > PAYLOAD_LIMIT ? '' : raw.toString('utf8');
  let body: unknown;
  let bodyError = false;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
      bodyError = true;
    }
  }
  const matched: MatchedMethod | undefined = findMethod(method, url.pathname);
  const api = matched?.api ?? (path.startsWith('/drive/') ? 'drive' : 'sheets');
  const methodId = matched?.method.id ?? '';
  const fileId = matched ? (matched.params.spreadsheetId ?? matched.params.fileId) : undefined;
  const query: Record<string, string[]> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
  const caller = callerOf(state, req.headers.authorization ?? '');
  const rec: FakeRequest = {
    method,
    path,
    api,
    op: matched ? (OPS[methodId] ?? methodId.replace(/^(sheets|drive)\./, '')) : 'unknown',
    ...(fileId !== undefined ? { spreadsheetId: fileId } : {}),
    ...(body !== undefined ? { body } : {}),
    query,
    ...(caller ? { caller: caller.email } : {}),
    ...(matched ? { kind: requestKind(methodId) } : {}),
  };
  state.requests.push(rec);

  const slot = state.faults.find((f) => f.remaining > 0 && (f.op === '*' || f.op === rec.op));
  if (slot) {
    slot.remaining--;
    if (slot.remaining === 0) state.faults.splice(state.faults.indexOf(slot), 1);
    rec.fault = slot.fault.kind;
    if (slot.fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (slot.fault.kind === 'status') {
      const error = faultError(slot.fault.status, rec.api);
      send(res, rec, error.code, error.body(rec.api));
      return;
    }
    await state.sleep(slot.fault.ms);
  }

  try {
    if (!caller) {
      throw new ApiError(
        401,
        'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        { reason: 'required', location: 'Authorization', locationType: 'header' },
      );
    }
    if (!matched) throw new ApiError(404, `fake-google-apis: no such method: ${method} ${path}`);
    if (raw.length > PAYLOAD_LIMIT) {
      throw new ApiError(400, `Request payload size exceeds the limit: ${PAYLOAD_LIMIT} bytes.`);
    }
    chargeQuota(state, api, requestKind(methodId), caller);
    if (bodyError) {
      throw badRequest(`Invalid JSON payload received. Unexpected token.\n${text.slice(0, 40)}\n^`);
    }
    const refusal: Refusal | undefined =
      checkQuery(matched, url.searchParams) ??
      (url.searchParams.has('fields') ? checkFieldsParam(matched, url.searchParams.get('fields') ?? '') : undefined) ??
      checkBody(matched, body);
    if (refusal) throw fromRefusal(refusal);
    const handler = handlers[methodId];
    if (!handler) throw new ApiError(501, `fake-google-apis: ${methodId} is not implemented`);
    for (const hook of [...state.hooks]) await hook(rec);
    const [status, payload] = await handler({ query: url.searchParams, body, caller, params: matched.params });
    const fields = url.searchParams.get('fields');
    send(res, rec, status, api === 'sheets' && fields ? project(payload, parseFieldMask(fields)) : payload);
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError(500, `fake-google-apis: ${(error as Error).message}`);
    send(res, rec, apiError.code, apiError.body(rec.api));
  }
}

export async function startFakeGoogleApis(): Promise<FakeGoogleApis> {
  const state = new FakeState();
  const { spreadsheets, folders, sharedDrives } = state;
  const handlers: Record<string, Handler> = {
    ...valuesHandlers(state),
    ...spreadsheetsHandlers(state),
    ...driveHandlers(state),
    ...driveChangeHandlers(state, (item, caller) => fileResource(item, state, caller)),
  };
  state.canSee = (channel, fileId) => {
    const item = state.driveItems().find((i) => i.id === fileId);
    if (!item || (item.driveId && !channel.includeAllDrives)) return false;
    return roleOn(state, channel.caller, item.id, item.parents, item.driveId) !== undefined;
  };
  const share = (id: string, email: string, role: FakeRole) => state.share(id, email, role);
  const server = createServer((req, res) => {
    handle(state, handlers, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    spreadsheets,
    requests: state.requests,
    permissions: state.permissions,
    folders,
    notifications: state.notifications,
    channels: () => [...state.channels.values()].map(({ caller: _caller, ...c }) => ({ ...c })),
    async notificationsSettled() {
      while (state.deliveries.size > 0) await Promise.all([...state.deliveries]);
    },
    inject(op, fault, times = 1) {
      if (times > 0) state.faults.push({ op, fault, remaining: times });
    },
    put(sheet) {
      const copy = structuredClone(sheet);
      const previous = spreadsheets.get(sheet.id);
      if (previous) {
        const given = Date.parse(copy.modifiedTime);
        copy.modifiedTime =
          !Number.isNaN(given) && given > Date.parse(previous.modifiedTime)
            ? new Date(given).toISOString()
            : state.stamp(previous.modifiedTime);
        spreadsheets.set(copy.id, copy);
        state.record(copy.id, copy.modifiedTime);
      } else {
        if (Number.isNaN(Date.parse(copy.modifiedTime))) copy.modifiedTime = state.stamp();
        spreadsheets.set(copy.id, copy);
        state.record(copy.id, copy.modifiedTime, true);
      }
    },
    touch(id, by) {
      const ss = spreadsheets.get(id);
      if (!ss) throw new Error(`fake-google-apis: no spreadsheet ${id}`);
      state.edited(ss, by);
    },
    addCaller(token, caller) {
      state.callers.set(token, { ...caller });
    },
    share,
    addSharedDrive(id, name, members = {}) {
      sharedDrives.set(id, { id, name });
      for (const [email, role] of Object.entries(members)) share(id, email, role);
    },
    addFolder(id, name, parent) {
      const driveId = parent ? (sharedDrives.has(parent) ? parent : folders.get(parent)?.driveId) : undefined;
      folders.set(id, { id, name, parents: parent ? [parent] : [], ...(driveId ? { driveId } : {}) });
      state.record(id, state.stamp(), true);
    },
    setModifiedTimeLag(ms) {
      state.lagMs = Math.max(0, ms);
    },
    setQuota(q) {
      state.quota = q ? { ...q } : undefined;
      state.quotaUse.clear();
    },
    beforeAnswer(hook) {
      state.hooks.push(hook);
      return () => {
        const at = state.hooks.indexOf(hook);
        if (at >= 0) state.hooks.splice(at, 1);
      };
    },
    async close() {
      for (const channel of state.channels.values()) channel.stopped = true;
      await Promise.all([...state.deliveries]);
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
