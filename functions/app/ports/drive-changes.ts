/** Drive's change feed and push channels: which files changed since a page token, and who is told when they do. */
import type { ListedChange } from '../../core/live-feedback.js';

/** One changed file, as the change feed lists it (its latest state; earlier changes of it are folded in). */
export type DriveChange = ListedChange;

/** A push channel: Drive POSTs a notification to its address when a watched file changes. */
export interface WatchChannel {
  id: string;
  /** Drive's ID of the watched resource, needed to stop the channel. */
  resourceId: string;
  /** Sent back with every notification (X-Goog-Channel-Token): how we know it is ours. */
  token: string;
  address: string;
  /** When Drive stops sending (ISO 8601). */
  expiration: string;
}

export interface DriveChanges {
  /** The token of «now»: listing from it gives only later changes. */
  startPageToken(): Promise<string>;
  /**
   * Every change since `pageToken`, one request per page, and the token to list from next time
   * (Drive's newStartPageToken on the last page).
   */
  changesSince(pageToken: string): Promise<{ changes: DriveChange[]; newStartPageToken: string }>;
  /** Opens a channel for changes after `pageToken`; Drive may shorten the expiration asked for. */
  watch(
    channel: { id: string; token: string; address: string; expiration: Date },
    pageToken: string,
  ): Promise<WatchChannel>;
  /** Stops a channel; one that Drive no longer knows counts as stopped. */
  stop(channel: Pick<WatchChannel, 'id' | 'resourceId'>): Promise<void>;
  /** The file a registry's «Таблица школы» names (an ID or a link); undefined when it names none. */
  fileIdOf(reference: string): string | undefined;
  /** The registry's own file, whose edits are not a school's. */
  readonly registryFileId: string | undefined;
}
