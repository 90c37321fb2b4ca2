import type { CloudEvent } from '@google-cloud/functions-framework';
import type { PdfRenderer } from './app/ports/pdf-renderer.js';
import { createChromiumPdfRenderer } from './adapters/chromium/pdf-renderer.js';
import type { Publisher } from './app/ports/publisher.js';
import type { Mailer } from './app/ports/mailer.js';
import { systemClock } from './app/ports/clock.js';
import { instanceConfig, type Config } from './config.js';
import { UsageError } from './errors.js';
import { renderHandler } from './http-render.js';
import { jsonLog } from './log.js';
import { monitoringRules } from './monitoring-rules.js';
import { outputStore } from './output-location.js';
import { registrySource } from './registry-source.js';
import { scheduledRequest, workMessage, type PubSubEventData } from './scheduled-messages.js';
import { doWork, onSchedule, pubsubHandler, type ScheduledRunPorts } from './scheduled-run.js';

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`Не задана переменная окружения ${name}.`);
  return value;
}

/** The outside world of the cloud functions, from the configuration; one browser per instance, started when first needed. */
export function cloudPorts(config: Config): ScheduledRunPorts {
  const rules = monitoringRules();
  let renderer: PdfRenderer | undefined;
  let publisher: Promise<Publisher> | undefined;
  const smtp = config.mail.smtp;
  let mailer: Promise<Mailer> | undefined;
  return {
    store: outputStore(config.store, config),
    source: (cache) => registrySource(required(config.registry, 'MONITOR500_REGISTRY'), config, rules, cache),
    renderer: () =>
      (renderer ??= createChromiumPdfRenderer({
        executablePath: config.chromiumPath,
        timeoutMs: config.renderTimeoutMs,
        concurrency: config.renderConcurrency,
      })),
    publisher: {
      // The Pub/Sub client (google-auth-library) loads with the first message sent.
      publish: async (topic, messages) => {
        const project = required(config.pubsub.project, 'MONITOR500_PUBSUB_PROJECT');
        publisher ??= import('./adapters/pubsub/publisher.js').then(({ pubsubPublisher }) =>
          pubsubPublisher({ project, apiRoot: config.pubsub.apiRoot, timeoutMs: config.google.timeoutMs }),
        );
        return (await publisher).publish(topic, messages);
      },
    },
    workTopic: config.pubsub.workTopic,
    clock: systemClock,
    timing: config.timing,
    defaultStage: config.stage,
    timeZone: config.timeZone,
    ...(smtp && config.mail.on !== 'off'
      ? {
          mail: {
            mailer: {
              // nodemailer loads with the first message sent.
              send: async (message) => {
                mailer ??= import('./adapters/smtp/mailer.js').then(({ smtpMailer }) => smtpMailer(smtp));
                return (await mailer).send(message);
              },
            },
            on: config.mail.on,
            attachBytes: config.mail.attachBytes,
            linkSeconds: config.mail.linkSeconds,
            place: config.store,
          },
        }
      : {}),
    rules,
    log: jsonLog(),
  };
}

/** Scheduler → Pub/Sub: starts (or continues) the day's run. */
export function monitorHandler(config: () => Config, ports: () => ScheduledRunPorts) {
  return pubsubHandler('monitor', ports, async (event, current) => {
    const request = scheduledRequest(event, config().timeZone);
    if (typeof request === 'string') {
      current.log('WARNING', `Сообщение расписания пропущено: ${request}.`, {
        messageId: event.data?.message?.messageId,
      });
      return;
    }
    await onSchedule(request, current);
  });
}

/** Work topic → one school's part of a run, or its last step. */
export function workerHandler(ports: () => ScheduledRunPorts) {
  return pubsubHandler('worker', ports, async (event, current) => {
    const message = workMessage(event);
    if (!message) {
      current.log('WARNING', 'Сообщение worker пропущено: не задание прогона.', {
        messageId: event.data?.message?.messageId,
      });
      return;
    }
    await doWork(message, current);
  });
}

let ports: ScheduledRunPorts | undefined;
const instancePorts = () => (ports ??= cloudPorts(instanceConfig()));

export const render = renderHandler(instanceConfig, instancePorts);
export const monitor: (event: CloudEvent<PubSubEventData>) => Promise<void> = monitorHandler(
  instanceConfig,
  instancePorts,
);
export const worker: (event: CloudEvent<PubSubEventData>) => Promise<void> = workerHandler(instancePorts);
