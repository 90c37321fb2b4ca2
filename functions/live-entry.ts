import { randomBytes } from 'node:crypto';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { createGoogleClients } from './adapters/google/clients.js';
import { googleDriveChanges } from './adapters/google/drive-changes.js';
import { sheetsRegistryId } from './adapters/google/sheets-source.js';
import { systemClock, type Clock } from './app/ports/clock.js';
import { stateFor } from './app/ports/run-state-store.js';
import { instanceConfig, type Config } from './config.js';
import { UsageError } from './errors.js';
import { notifyHandler } from './http-notify.js';
import type { LiveEntryPorts } from './live-ports.js';
import { errorFields, jsonLog } from './log.js';
import { monitoringRules } from './monitoring-rules.js';
import { outputStore } from './output-location.js';
import { registrySource } from './registry-source.js';
import { liveTick } from './scheduled-live.js';
import type { PubSubEventData } from './scheduled-messages.js';

/** A push channel is renewed this long before it expires (the `live` tick runs every minute). */
const RENEW_BEFORE_SECONDS = 15 * 60;

/** Live feedback's outside world from the configuration: Google Sheets and Drive's change feed, the store's `.state/`. */
export function liveEntryPorts(config: Config, clock: Clock = systemClock): LiveEntryPorts {
  const reference = config.registry ?? '';
  const registryId = sheetsRegistryId(reference);
  if (!registryId) {
    throw new UsageError(
      'Живая обратная связь работает с реестром в Google Таблицах: MONITOR500_REGISTRY=sheets:<ID>.',
    );
  }
  const rules = monitoringRules();
  const state = stateFor(outputStore(config.store, config));
  const clients = createGoogleClients(config.google);
  const changes = googleDriveChanges(clients, registryId);
  return {
    state,
    live: () => ({ changes, source: registrySource(reference, config, rules, state), state, rules, clock }),
    options: { quietSeconds: config.live.quietSeconds, timeZone: config.timeZone, stage: config.stage },
    maxWaitMs: config.live.waitSeconds * 1000,
    notifyUrl: config.live.notifyUrl,
    channelSeconds: config.live.channelSeconds,
    renewBeforeSeconds: RENEW_BEFORE_SECONDS,
    secret: () => randomBytes(24).toString('base64url'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: jsonLog(),
  };
}

let ports: LiveEntryPorts | undefined;
const instancePorts = () => (ports ??= liveEntryPorts(instanceConfig()));

/** HTTP `notify`: Drive's push notifications. */
export const notify = notifyHandler(instancePorts);

/** Pub/Sub `live`: every minute, the change feed without push, and the push channel kept open. */
export async function live(event: CloudEvent<PubSubEventData>): Promise<void> {
  const current = instancePorts();
  try {
    await liveTick(current);
  } catch (error) {
    current.log('ERROR', 'live: сбой, изменения будут прочитаны следующим тиком.', {
      messageId: event.data?.message?.messageId,
      ...errorFields(error),
    });
  }
}
