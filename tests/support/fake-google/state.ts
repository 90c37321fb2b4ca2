/** What the fake remembers between requests: files, rights, history, faults, quota, and the clock it stamps with. */
import { randomBytes } from 'node:crypto';
import { notificationHeaders, type FakeChannel, type FakeNotification } from './drive-changes.js';
import type { DriveItem } from './drive-query.js';
import { checkProtection, type WriteContext } from './protection.js';
import {
  FOLDER_MIME,
  SPREADSHEET_MIME,
  type Caller,
  type FakeCaller,
  type FakePermission,
  type FakeQuota,
  type FakeRequest,
  type FakeRole,
  type FakeSpreadsheet,
  type Fault,
} from './types.js';

type FakeFolder = { id: string; name: string; parents?: string[]; driveId?: string };

export const newSpreadsheetId = () => `1${randomBytes(32).toString('base64url').slice(0, 43)}`;

export class FakeState {
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  readonly permissions = new Map<string, FakePermission[]>();
  readonly folders = new Map<string, FakeFolder>();
  readonly sharedDrives = new Map<string, { id: string; name: string }>();
  readonly roles = new Map<string, Map<string, FakeRole>>();
  readonly callers = new Map<string, FakeCaller>();
  /** Every modification of a file: when it happened, and the modifiedTime/version it gave. */
  readonly history = new Map<string, { at: number; modifiedTime: string; version: number; by?: string }[]>();
  readonly requests: FakeRequest[] = [];
  readonly faults: { op: string; fault: Fault; remaining: number }[] = [];
  readonly hooks: ((request: FakeRequest) => void | Promise<void>)[] = [];
  readonly timers = new Set<NodeJS.Timeout>();
  readonly quotaUse = new Map<string, { start: number; read: number; write: number }>();
  /** Drive's change log: one entry per modification, in order (a page token is an index into it, from 1). */
  readonly changes: { fileId: string; time: string }[] = [];
  /** Watch channels by `<id>/<resourceId>`. */
  readonly channels = new Map<string, FakeChannel>();
  /** Every web-hook delivery made, in order. */
  readonly notifications: FakeNotification[] = [];
  readonly deliveries = new Set<Promise<void>>();
  /** Whether a channel's caller can see a file (set by the server, which knows the rights). */
  canSee: (channel: FakeChannel, fileId: string) => boolean = () => true;
  quota: FakeQuota | undefined;
  lagMs = 0;
  private lastStamp = 0;
  private protectedRangeSeq = 1_000;
  private permissionSeq = 1;

  /** A fresh RFC 3339 time, strictly later than the last one given and than `after`. */
  stamp(after?: string): string {
    const floor = after ? Date.parse(after) : 0;
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1, (Number.isNaN(floor) ? 0 : floor) + 1);
    return new Date(this.lastStamp).toISOString();
  }

  currentVersion(id: string): number {
    return this.history.get(id)?.at(-1)?.version ?? 1;
  }

  /**
   * Records a modification (edit, sharing…) at `modifiedTime` by `by` (an e-mail; none: the default
   * owner); Drive shows it once the lag has passed.
   */
  record(id: string, modifiedTime: string, created = false, by?: string): void {
    const list = created ? [] : (this.history.get(id) ?? []);
    list.push({
      at: created ? -Infinity : Date.now(),
      modifiedTime,
      version: created ? 1 : this.currentVersion(id) + 1,
      ...(by ? { by } : {}),
    });
    this.history.set(id, list);
    this.changes.push({ fileId: id, time: new Date().toISOString() });
    const now = Date.now();
    for (const channel of this.channels.values()) {
      if (!channel.stopped && channel.expiration > now && this.canSee(channel, id)) this.notify(channel, 'change');
    }
  }

  /** POSTs one web-hook message of `channel` to its address, as Google does (no body; the headers say it all). */
  notify(channel: FakeChannel, resourceState: 'sync' | 'change'): void {
    if (channel.stopped) return;
    channel.messageNumber++;
    const headers = notificationHeaders(channel, resourceState);
    const note: FakeNotification = {
      channelId: channel.id,
      state: resourceState,
      messageNumber: channel.messageNumber,
      address: channel.address,
      headers,
    };
    this.notifications.push(note);
    const delivery = fetch(channel.address, { method: 'POST', headers: { ...headers, 'content-length': '0' } })
      .then(async (response) => {
        note.status = response.status;
        await response.arrayBuffer();
      })
      .catch((error: unknown) => {
        note.error = (error as Error).message;
      })
      .finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  edited(ss: FakeSpreadsheet, by?: string): void {
    ss.modifiedTime = this.stamp(ss.modifiedTime);
    this.record(ss.id, ss.modifiedTime, false, by);
  }

  /** What Drive answers now: the last modification older than the lag (or the first one). */
  driveView(id: string, fallback: string): { modifiedTime: string; version: number; by?: string } {
    const list = this.history.get(id) ?? [];
    const now = Date.now();
    const seen = [...list].reverse().find((h) => h.at <= now - this.lagMs) ?? list[0];
    return seen ?? { modifiedTime: fallback, version: 1 };
  }

  /** Every spreadsheet and folder as Drive sees it now. */
  driveItems(): DriveItem[] {
    return [
      ...[...this.spreadsheets.values()].map((ss) => {
        const view = this.driveView(ss.id, ss.modifiedTime);
        return {
          id: ss.id,
          name: ss.title,
          mimeType: ss.mimeType ?? SPREADSHEET_MIME,
          modifiedTime: view.modifiedTime,
          version: view.version,
          ...(view.by ? { lastModifiedBy: view.by } : {}),
          ...(ss.parents ? { parents: ss.parents } : {}),
          ...(ss.driveId ? { driveId: ss.driveId } : {}),
        };
      }),
      ...[...this.folders.values()].map((f) => {
        const view = this.driveView(f.id, new Date(0).toISOString());
        return {
          id: f.id,
          name: f.name,
          mimeType: FOLDER_MIME,
          modifiedTime: view.modifiedTime,
          version: view.version,
          parents: f.parents ?? [],
          ...(f.driveId ? { driveId: f.driveId } : {}),
        };
      }),
    ];
  }

  /** What a write needs: fresh IDs, and the caller's protected-range check (the owner passes every one). */
  writeContext(caller: Caller, role: FakeRole): WriteContext {
    return {
      nextSheetId(ss) {
        let id = 1 + Math.floor(Math.random() * 2_000_000_000);
        while (ss.sheets.some((s) => s.sheetId === id)) id++;
        return id;
      },
      nextProtectedRangeId: () => this.protectedRangeSeq++,
      email: caller.email,
      guard(sheet, box, where) {
        if (role !== 'owner') checkProtection(sheet, box, caller.email, where);
      },
    };
  }

  nextPermissionId(): string {
    return String(10_000_000_000 + this.permissionSeq++);
  }

  /** Applies `change` to a copy and keeps it only when every part succeeds (batchUpdate is atomic). */
  atomically<T>(ss: FakeSpreadsheet, change: (draft: FakeSpreadsheet) => T, by?: string): T {
    const draft = structuredClone(ss);
    const result = change(draft);
    ss.title = draft.title;
    ss.sheets = draft.sheets;
    if (draft.locale) ss.locale = draft.locale;
    this.edited(ss, by);
    return result;
  }

  /** Gives `email` a role on a file, folder or shared drive. */
  share(id: string, email: string, role: FakeRole): void {
    const map = this.roles.get(id) ?? new Map<string, FakeRole>();
    map.set(email.toLowerCase(), role);
    this.roles.set(id, map);
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
