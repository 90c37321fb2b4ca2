/**
 * Drive v3 changes and push notifications: changes.getStartPageToken, changes.list, changes.watch and
 * channels.stop. Every modification the fake records (FakeState.record: values written, batchUpdate, touch,
 * put, sharing…) appends a change; a watch channel then gets Google's web-hook notifications by real HTTP POST.
 *
 * As Google does it:
 * - page tokens are opaque numbers; a list gives each changed file once (its latest change since the token),
 *   `nextPageToken` while more remain and `newStartPageToken` on the last page; a token that is not one of
 *   ours is 400 invalid; `pageToken` is required;
 * - without `fields` a change is `kind,changeType,time,removed,fileId,file(kind,id,name,mimeType)`;
 * - a caller sees changes only to files it can see; shared-drive files need includeItemsFromAllDrives and
 *   supportsAllDrives;
 * - a channel needs `id`, `type: web_hook` and an https `address`; its expiration (ms since epoch, a string)
 *   defaults to one hour and is capped at one week; the first message is `sync`, then `change`, numbered
 *   from 1 (X-Goog-Message-Number), with X-Goog-Channel-ID, X-Goog-Channel-Token (when given),
 *   X-Goog-Channel-Expiration (RFC 1123), X-Goog-Resource-ID, X-Goog-Resource-URI and X-Goog-Resource-State;
 * - channels.stop needs the channel's id and resourceId (404 otherwise) and answers 204 without a body.
 * Deviation: an `http://` address is accepted on 127.0.0.1/localhost only (the tests' receivers).
 */
import { randomBytes } from 'node:crypto';
import { ApiError, PROJECT } from './errors.js';
import { asObject, optString, parseFieldMask, project } from './json.js';
import { roleOn } from './rights.js';
import type { FakeState } from './state.js';
import type { Caller, Handler, Json } from './types.js';

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export interface FakeChannel {
  id: string;
  resourceId: string;
  address: string;
  token?: string;
  /** ms since epoch */
  expiration: number;
  /** The caller whose changes the channel watches. */
  caller: Caller;
  includeAllDrives: boolean;
  messageNumber: number;
  stopped: boolean;
}

/** One web-hook delivery the fake made (or tried). */
export interface FakeNotification {
  channelId: string;
  state: 'sync' | 'change';
  messageNumber: number;
  address: string;
  headers: Record<string, string>;
  /** The receiver's HTTP status; undefined while in flight or when the delivery failed. */
  status?: number;
  error?: string;
}

const invalidToken = () =>
  new ApiError(400, 'Invalid Value', { reason: 'invalid', location: 'pageToken', locationType: 'parameter' });

const required = (name: string) =>
  new ApiError(400, `Required parameter: ${name}`, { reason: 'required', location: name, locationType: 'parameter' });

/** The change sequence number a page token stands for; refuses anything we did not give. */
function tokenSeq(state: FakeState, text: string | null): number {
  if (text === null || text === '') throw required('pageToken');
  if (!/^[1-9]\d{0,15}$/.test(text)) throw invalidToken();
  const seq = Number(text);
  if (seq > state.changes.length + 1) throw invalidToken();
  return seq;
}

const allDrivesOf = (query: URLSearchParams) =>
  query.get('includeItemsFromAllDrives') === 'true' && query.get('supportsAllDrives') === 'true';

/** The files visible to `caller` whose latest change is at or after `seq`, by that change, oldest first. */
function visibleChanges(state: FakeState, caller: Caller, seq: number, allDrives: boolean) {
  const latest = new Map<string, { seq: number; time: string }>();
  state.changes.forEach((change, index) => {
    if (index + 1 >= seq) latest.set(change.fileId, { seq: index + 1, time: change.time });
  });
  const items = new Map(state.driveItems().map((item) => [item.id, item]));
  return [...latest.entries()]
    .sort((a, b) => a[1].seq - b[1].seq)
    .flatMap(([fileId, change]) => {
      const item = items.get(fileId);
      if (!item) return [];
      if (item.driveId && !allDrives) return [];
      if (!roleOn(state, caller, item.id, item.parents, item.driveId)) return [];
      return [{ fileId, item, ...change }];
    });
}

export function driveChangeHandlers(
  state: FakeState,
  fileResource: (item: ReturnType<FakeState['driveItems']>[number], caller: Caller) => Json,
): Record<string, Handler> {
  return {
    'drive.changes.getStartPageToken': ({ query }) => [
      200,
      project(
        { kind: 'drive#startPageToken', startPageToken: String(state.changes.length + 1) },
        parseFieldMask(query.get('fields') ?? 'kind,startPageToken'),
      ),
    ],
    'drive.changes.list': ({ query, caller }) => {
      const seq = tokenSeq(state, query.get('pageToken'));
      const pageSize = Math.min(Math.max(Number(query.get('pageSize') ?? 100) || 100, 1), 1000);
      const listed = visibleChanges(state, caller, seq, allDrivesOf(query));
      const page = listed.slice(0, pageSize);
      const more = listed.length > pageSize;
      const last = page.at(-1);
      const full = {
        kind: 'drive#changeList',
        ...(more && last
          ? { nextPageToken: String(last.seq + 1) }
          : { newStartPageToken: String(state.changes.length + 1) }),
        changes: page.map((c) => ({
          kind: 'drive#change',
          changeType: 'file',
          type: 'file',
          time: c.time,
          removed: false,
          fileId: c.fileId,
          file: fileResource(c.item, caller),
          ...(c.item.driveId ? { driveId: c.item.driveId } : {}),
        })),
      };
      const fields =
        query.get('fields') ??
        'kind,nextPageToken,newStartPageToken,changes(kind,changeType,time,removed,fileId,file(kind,id,name,mimeType))';
      return [200, project(full, parseFieldMask(fields))];
    },
    'drive.changes.watch': ({ query, body, caller }) => {
      tokenSeq(state, query.get('pageToken'));
      const b = asObject(body);
      const id = optString(b.id);
      const type = optString(b.type);
      const address = optString(b.address);
      if (!id) throw new ApiError(400, 'Channel id must be provided.', { reason: 'required', location: 'id' });
      if (type !== 'web_hook' && type !== 'webhook') {
        throw new ApiError(400, `Invalid value for type: ${type ?? ''}`, { reason: 'invalid', location: 'type' });
      }
      if (!address) throw new ApiError(400, 'Address must be provided.', { reason: 'required', location: 'address' });
      let url: URL;
      try {
        url = new URL(address);
      } catch {
        throw new ApiError(400, `Invalid notification address: ${address}`, { reason: 'invalid', location: 'address' });
      }
      const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        throw new ApiError(400, `WebHook callback must be HTTPS: ${address}`, {
          reason: 'push.webhookUrlNotHttps',
          domain: 'push',
        });
      }
      if ([...state.channels.values()].some((c) => c.id === id && !c.stopped)) {
        throw new ApiError(400, `Channel id ${id} not unique`, { reason: 'channelIdNotUnique', domain: 'push' });
      }
      const now = Date.now();
      const asked = optString(b.expiration);
      const expiration = Math.min(asked && /^\d+$/.test(asked) ? Number(asked) : now + HOUR_MS, now + WEEK_MS);
      const channel: FakeChannel = {
        id,
        resourceId: randomBytes(18).toString('base64url'),
        address,
        ...(optString(b.token) !== undefined ? { token: optString(b.token) as string } : {}),
        expiration,
        caller,
        includeAllDrives: allDrivesOf(query),
        messageNumber: 0,
        stopped: false,
      };
      state.channels.set(`${channel.id}/${channel.resourceId}`, channel);
      setImmediate(() => state.notify(channel, 'sync'));
      return [
        200,
        {
          kind: 'api#channel',
          id,
          resourceId: channel.resourceId,
          resourceUri: `https://www.googleapis.com/drive/v3/changes?alt=json&pageToken=${query.get('pageToken') ?? ''}`,
          ...(channel.token !== undefined ? { token: channel.token } : {}),
          expiration: String(expiration),
        },
      ];
    },
    'drive.channels.stop': ({ body }) => {
      const b = asObject(body);
      const channel = state.channels.get(`${optString(b.id) ?? ''}/${optString(b.resourceId) ?? ''}`);
      if (!channel || channel.stopped) {
        throw new ApiError(404, `Channel '${optString(b.id) ?? ''}' not found for project '${PROJECT}'`, {
          reason: 'notFound',
          domain: 'global',
        });
      }
      channel.stopped = true;
      return [204, undefined];
    },
  };
}

/** Google's web-hook headers for one message of `channel`. */
export function notificationHeaders(channel: FakeChannel, resourceState: 'sync' | 'change'): Record<string, string> {
  return {
    'x-goog-channel-id': channel.id,
    ...(channel.token !== undefined ? { 'x-goog-channel-token': channel.token } : {}),
    'x-goog-channel-expiration': new Date(channel.expiration).toUTCString(),
    'x-goog-resource-id': channel.resourceId,
    'x-goog-resource-uri': 'https://www.googleapis.com/drive/v3/changes?alt=json',
    'x-goog-resource-state': resourceState,
    'x-goog-message-number': String(channel.messageNumber),
  };
}
