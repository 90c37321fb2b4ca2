import type { DriveChange, DriveChanges, WatchChannel } from '../../app/ports/drive-changes.js';
import { googleRefusal } from './refusal.js';
import { callGoogle, spreadsheetId, type GoogleClients } from './sheets-source.js';

const SPREADSHEET = 'application/vnd.google-apps.spreadsheet';

/** Only what live feedback needs of a change: which file, whether it is gone, its time, and whether the edit was ours. */
const CHANGE_FIELDS =
  'nextPageToken,newStartPageToken,changes(fileId,removed,file(mimeType,modifiedTime,lastModifyingUser(me)))';

/**
 * Drive's change feed and push channels (app/ports/drive-changes.ts) over the Google clients: every
 * call goes through the same quota limiter and retries as the Sheets reads (`callGoogle`), so the
 * one quota budget holds. Shared drives are included (the schools' spreadsheets may live in one).
 */
export function googleDriveChanges(clients: GoogleClients, registryFileId: string | undefined): DriveChanges {
  return {
    registryFileId,
    fileIdOf: (reference) => spreadsheetId(reference),
    async startPageToken() {
      const answer = await callGoogle(clients, 'drive', () =>
        clients.drive.changes.getStartPageToken({ supportsAllDrives: true, fields: 'startPageToken' }),
      );
      const token = answer.data.startPageToken;
      if (!token) throw new Error('Drive не дал начальный маркер изменений (startPageToken).');
      return token;
    },
    async changesSince(pageToken) {
      const changes: DriveChange[] = [];
      let token = pageToken;
      for (;;) {
        const page = await callGoogle(clients, 'drive', () =>
          clients.drive.changes.list({
            pageToken: token,
            pageSize: 1000,
            includeItemsFromAllDrives: true,
            supportsAllDrives: true,
            fields: CHANGE_FIELDS,
          }),
        );
        for (const change of page.data.changes ?? []) {
          if (!change.fileId) continue;
          const removed = change.removed === true;
          changes.push({
            fileId: change.fileId,
            modifiedTime: removed ? undefined : (change.file?.modifiedTime ?? undefined),
            removed,
            spreadsheet: change.file?.mimeType === SPREADSHEET,
            ours: change.file?.lastModifyingUser?.me === true,
          });
        }
        if (page.data.nextPageToken) {
          token = page.data.nextPageToken;
          continue;
        }
        if (!page.data.newStartPageToken) throw new Error('Drive не дал маркер следующих изменений.');
        return { changes, newStartPageToken: page.data.newStartPageToken };
      }
    },
    async watch(channel, pageToken): Promise<WatchChannel> {
      const answer = await callGoogle(clients, 'drive', () =>
        clients.drive.changes.watch({
          pageToken,
          includeItemsFromAllDrives: true,
          supportsAllDrives: true,
          requestBody: {
            id: channel.id,
            type: 'web_hook',
            address: channel.address,
            token: channel.token,
            expiration: String(channel.expiration.getTime()),
          },
        }),
      );
      const expiration = Number(answer.data.expiration ?? channel.expiration.getTime());
      return {
        id: answer.data.id ?? channel.id,
        resourceId: answer.data.resourceId ?? '',
        token: channel.token,
        address: channel.address,
        expiration: new Date(expiration).toISOString(),
      };
    },
    async stop(channel) {
      try {
        await callGoogle(clients, 'drive', () =>
          clients.drive.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } }),
        );
      } catch (error) {
        // Already stopped, or expired and forgotten: what we wanted.
        if (googleRefusal(error).status !== 404) throw error;
      }
    },
  };
}
