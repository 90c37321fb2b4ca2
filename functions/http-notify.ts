import type { Request, Response } from '@google-cloud/functions-framework';
import { onDriveChanges, ourChannels } from './app/live-feedback.js';
import type { LiveEntryPorts } from './live-ports.js';
import { errorFields } from './log.js';
import { sameSecret } from './http-auth.js';

const header = (req: Request, name: string): string => {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
};

/**
 * HTTP `notify`: Drive's push notifications of the change feed (app/live-feedback.ts). Only a POST
 * of our current channel (X-Goog-Channel-ID; or of the one being opened) with its token (X-Goog-Channel-Token, compared in
 * constant time) is taken — any other is 404 or 401, without details. `sync` (the channel's first
 * message) is answered at once; `change` lists the changes and answers the workbooks whose quiet
 * period is over; when one is still inside it, the call waits for it once (at most `maxWaitMs`) and
 * lists again, else leaves it to the next tick of `live`.
 */
export function notifyHandler(ports: () => LiveEntryPorts) {
  return async (req: Request, res: Response): Promise<void> => {
    if (req.method !== 'POST') {
      res.status(405).end();
      return;
    }
    const current = ports();
    const id = header(req, 'x-goog-channel-id');
    const channel = (await ourChannels(current.state)).find((c) => c.id === id);
    if (!channel) {
      res.status(404).end();
      return;
    }
    if (!sameSecret(header(req, 'x-goog-channel-token'), channel.token)) {
      res.status(401).end();
      return;
    }
    const state = header(req, 'x-goog-resource-state');
    if (state === 'sync') {
      res.status(200).end();
      return;
    }
    try {
      let outcome = await onDriveChanges(current.live(), current.options);
      const clock = current.live().clock;
      const wait = outcome.nextDue ? outcome.nextDue.getTime() - clock.now().getTime() : Infinity;
      if (wait > 0 && wait <= current.maxWaitMs) {
        await current.sleep(wait);
        const again = await onDriveChanges(current.live(), current.options);
        outcome = { ...again, answered: [...outcome.answered, ...again.answered] };
      }
      current.log('INFO', 'notify: изменения таблиц обработаны.', {
        message: header(req, 'x-goog-message-number'),
        listed: outcome.listed,
        answered: outcome.answered.length,
        held: outcome.held.length,
        recorded: outcome.recorded.length,
        waited: wait > 0 && wait <= current.maxWaitMs ? Math.round(wait) : 0,
      });
      res.status(200).end();
    } catch (error) {
      current.log('ERROR', 'notify: сбой, изменения будут прочитаны следующим тиком.', errorFields(error));
      res.status(500).end();
    }
  };
}
