import { onDriveChanges, renewChannel, type LiveOutcome } from './app/live-feedback.js';
import type { LiveEntryPorts } from './live-ports.js';
import { errorFields } from './log.js';

/**
 * Pub/Sub `live`, every minute by Cloud Scheduler: the fallback without push — one changes.list,
 * nothing read when nothing changed — and the keeper of the push channel: when MONITOR500_NOTIFY_URL
 * is set, a channel about to expire is replaced by a new one (the old one stopped, on a later tick
 * if Drive does not answer now). A failure to renew the channel is logged and does not stop the tick.
 */
export async function liveTick(current: LiveEntryPorts): Promise<LiveOutcome> {
  if (current.notifyUrl) {
    const live = current.live();
    try {
      const { channel, renewed, unstopped } = await renewChannel(
        { changes: live.changes, state: current.state, clock: live.clock },
        {
          address: current.notifyUrl,
          lifetimeSeconds: current.channelSeconds,
          renewBeforeSeconds: current.renewBeforeSeconds,
          secret: current.secret,
        },
      );
      if (renewed) current.log('INFO', 'live: канал уведомлений Drive открыт.', { expiration: channel.expiration });
      if (unstopped > 0) {
        current.log('WARNING', 'live: старый канал уведомлений Drive не остановлен, попробуем на следующем тике.', {
          unstopped,
        });
      }
    } catch (error) {
      current.log('WARNING', 'live: канал уведомлений Drive не обновлён.', errorFields(error));
    }
  }
  const outcome = await onDriveChanges(current.live(), current.options);
  if (outcome.listed > 0 || outcome.answered.length > 0) {
    current.log('INFO', 'live: изменения таблиц обработаны.', {
      listed: outcome.listed,
      answered: outcome.answered.length,
      held: outcome.held.length,
    });
  }
  return outcome;
}
