import { availableParallelism } from 'node:os';
import type { GoogleSettings } from './adapters/google/clients.js';
import type { SmtpSettings, SmtpTls } from './adapters/smtp/mailer.js';
import { STAGES, stageNamed, type Stage } from './core/indicators.js';
import { UsageError } from './errors.js';

/** Settings that come from the environment; nothing else reads process.env. */
export interface Config {
  /** MONITOR500_CHROMIUM_PATH: a Chromium binary to use instead of the bundled @sparticuz/chromium. */
  chromiumPath: string | undefined;
  /** MONITOR500_RENDER_TIMEOUT_MS: upper bound for printing one PDF (default 60 000). */
  renderTimeoutMs: number;
  /** MONITOR500_RENDER_CONCURRENCY: pages printing at once (default: the machine's cores, at most 4). */
  renderConcurrency: number;
  /** Google APIs: MONITOR500_GOOGLE_API_ROOT, MONITOR500_GOOGLE_ACCESS_TOKEN, MONITOR500_GOOGLE_REQUESTS_PER_MINUTE (60 Sheets reads and 60 writes), MONITOR500_DRIVE_REQUESTS_PER_MINUTE (600), MONITOR500_GOOGLE_CONCURRENCY (4), MONITOR500_GOOGLE_TIMEOUT_MS (30 000), MONITOR500_GOOGLE_FOLDER (Drive folder for new spreadsheets). */
  google: GoogleSettings;
  /** S3-compatible storage for `--out s3://bucket/prefix`: MONITOR500_S3_ENDPOINT, MONITOR500_S3_REGION, MONITOR500_S3_ACCESS_KEY_ID, MONITOR500_S3_SECRET_ACCESS_KEY (else the AWS SDK's own chain), MONITOR500_S3_TIMEOUT_MS. */
  /** MONITOR500_STORE: where the cloud functions keep runs and state (a directory or s3://bucket/prefix). */
  store: string;
  /** MONITOR500_REGISTRY: the region's registry for the cloud functions: sheets:<ID> or a path to an .xlsx file. */
  registry: string | undefined;
  /** MONITOR500_STAGE: the monitoring stage of scheduled runs and on-demand documents (default промежуточный). */
  stage: Stage;
  /** MONITOR500_TIME_ZONE: the region's time zone; a scheduled run is dated by its day there (default Europe/Moscow). */
  timeZone: string;
  /** Scheduled runs: MONITOR500_RUN_MINUTES (how long a run waits for its schools before its last step goes without the late ones, default 360), MONITOR500_LEASE_SECONDS (how long one delivery holds a piece of work before another may take it over, default 900). */
  timing: { finishAfterMinutes: number; leaseSeconds: number };
  /** HTTP functions: MONITOR500_HTTP_SECRET (a shared secret for local use, reaches every workbook), MONITOR500_HTTP_AUDIENCE (the function's URL, for Google ID tokens), MONITOR500_HTTP_ALLOWED (JSON: caller e-mail → what it may reach: a spreadsheet ID, "mo:<код МО>" for a municipality — its schools' spreadsheets and reports and its own report, as the registry names them — or "*" for the whole region; see http-auth.ts), MONITOR500_GOOGLE_CERTS_URL (where Google's signing certificates are fetched; a local server in tests), MONITOR500_LINK_SECONDS (lifetime of a presigned link, default 900). */
  http: {
    secret: string | undefined;
    audience: string | undefined;
    allowed: Record<string, string[]>;
    certsUrl: string | undefined;
    linkSeconds: number;
  };
  /** Fan-out of scheduled runs: MONITOR500_PUBSUB_PROJECT (else GOOGLE_CLOUD_PROJECT), MONITOR500_WORK_TOPIC (default monitor500-work), PUBSUB_EMULATOR_HOST (a local Pub/Sub: no credentials). */
  pubsub: {
    project: string | undefined;
    workTopic: string;
    apiRoot: string | undefined;
  };
  /**
   * E-mail of a run's documents by scope (app/deliver.ts): MONITOR500_SMTP_URL (smtp:// or smtps://,
   * user and password may be in it) or MONITOR500_SMTP_HOST, MONITOR500_SMTP_PORT, MONITOR500_SMTP_USER,
   * MONITOR500_SMTP_PASSWORD (Secret Manager in deployment); MONITOR500_SMTP_FROM (the sender),
   * MONITOR500_SMTP_TLS (starttls | implicit | none), MONITOR500_SMTP_TIMEOUT_MS (30 000). Without a
   * server, nothing is sent. MONITOR500_MAIL_ON: after which scheduled runs (close — those that close
   * a stage, the default; finish — every run; off); MONITOR500_MAIL_ATTACH_MB: attachments per
   * message (10), larger files go as links; MONITOR500_MAIL_LINK_HOURS: the links' lifetime (72).
   */
  mail: {
    smtp: SmtpSettings | undefined;
    on: MailOn;
    attachBytes: number;
    linkSeconds: number;
  };
  /**
   * Live feedback (app/live-feedback.ts): MONITOR500_LIVE_QUIET_SECONDS (how long after a school's
   * last edit its sheet is checked, default 20), MONITOR500_NOTIFY_URL (the `notify` function's URL,
   * where Drive posts changes; without it only the `live` tick every minute),
   * MONITOR500_LIVE_CHANNEL_HOURS (lifetime asked for a push channel, default 24, at most 168),
   * MONITOR500_LIVE_WAIT_SECONDS (longest wait inside one notification for a quiet period to end;
   * default and at most the quiet period, so that no sheet falls due while `notify` waits).
   */
  live: {
    quietSeconds: number;
    notifyUrl: string | undefined;
    channelSeconds: number;
    waitSeconds: number;
  };
  s3: {
    endpoint: string | undefined;
    region: string;
    /** MONITOR500_S3_TIMEOUT_MS: upper bound of one storage request (default 30 000); the SDK retries after it. */
    timeoutMs: number;
    credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  };
}

/** MONITOR500_NOTIFY_URL: an https address (Drive posts only there); http only on this machine, for tests. */
function parseNotifyUrl(text: string | undefined): string | undefined {
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`MONITOR500_NOTIFY_URL: «${text}» — не адрес.`);
  }
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new UsageError(`MONITOR500_NOTIFY_URL: Drive отправляет уведомления только по https, а задано «${text}».`);
  }
  return url.toString();
}

function integer(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = env[name] ?? String(fallback);
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} должно быть целым числом от ${min} до ${max}, а задано «${text}».`);
  }
  return value;
}

/** After which scheduled runs their documents are e-mailed. */
export type MailOn = 'close' | 'finish' | 'off';

/** Parses and checks the environment once, at the edge. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const timeout = env.MONITOR500_RENDER_TIMEOUT_MS ?? '60000';
  const quietSeconds = integer(env, 'MONITOR500_LIVE_QUIET_SECONDS', 20, 0, 600);
  const renderTimeoutMs = Number(timeout);
  if (!Number.isInteger(renderTimeoutMs) || renderTimeoutMs < 1000) {
    throw new UsageError(
      `MONITOR500_RENDER_TIMEOUT_MS должно быть целым числом миллисекунд не меньше 1000, а задано «${timeout}».`,
    );
  }
  const concurrencyText = env.MONITOR500_RENDER_CONCURRENCY ?? String(Math.min(4, availableParallelism()));
  const renderConcurrency = Number(concurrencyText);
  if (!Number.isInteger(renderConcurrency) || renderConcurrency < 1 || renderConcurrency > 32) {
    throw new UsageError(
      `MONITOR500_RENDER_CONCURRENCY должно быть целым числом от 1 до 32, а задано «${concurrencyText}».`,
    );
  }
  return {
    chromiumPath: env.MONITOR500_CHROMIUM_PATH || undefined,
    renderTimeoutMs,
    renderConcurrency,
    store: env.MONITOR500_STORE || 'monitor500-state',
    registry: env.MONITOR500_REGISTRY || undefined,
    stage: parseStage(env.MONITOR500_STAGE),
    timeZone: parseTimeZone(env.MONITOR500_TIME_ZONE),
    timing: {
      finishAfterMinutes: integer(env, 'MONITOR500_RUN_MINUTES', 360, 1, 30 * 24 * 60),
      leaseSeconds: integer(env, 'MONITOR500_LEASE_SECONDS', 900, 10, 24 * 3600),
    },
    http: {
      secret: env.MONITOR500_HTTP_SECRET || undefined,
      audience: env.MONITOR500_HTTP_AUDIENCE || undefined,
      allowed: parseAllowed(env.MONITOR500_HTTP_ALLOWED),
      certsUrl: env.MONITOR500_GOOGLE_CERTS_URL || undefined,
      linkSeconds: integer(env, 'MONITOR500_LINK_SECONDS', 900, 60, 7 * 24 * 3600),
    },
    pubsub: {
      project: env.MONITOR500_PUBSUB_PROJECT || env.GOOGLE_CLOUD_PROJECT || undefined,
      workTopic: env.MONITOR500_WORK_TOPIC || 'monitor500-work',
      apiRoot: env.PUBSUB_EMULATOR_HOST ? `http://${env.PUBSUB_EMULATOR_HOST}` : undefined,
    },
    mail: {
      smtp: parseSmtp(env),
      on: parseMailOn(env.MONITOR500_MAIL_ON),
      attachBytes: integer(env, 'MONITOR500_MAIL_ATTACH_MB', 10, 0, 50) * 1024 * 1024,
      linkSeconds: integer(env, 'MONITOR500_MAIL_LINK_HOURS', 72, 1, 168) * 3600,
    },
    live: {
      quietSeconds,
      notifyUrl: parseNotifyUrl(env.MONITOR500_NOTIFY_URL),
      channelSeconds: integer(env, 'MONITOR500_LIVE_CHANNEL_HOURS', 24, 1, 168) * 3600,
      waitSeconds: Math.min(integer(env, 'MONITOR500_LIVE_WAIT_SECONDS', quietSeconds, 0, 600), quietSeconds),
    },
    s3: {
      endpoint: env.MONITOR500_S3_ENDPOINT || undefined,
      region: env.MONITOR500_S3_REGION || 'us-east-1',
      timeoutMs: integer(env, 'MONITOR500_S3_TIMEOUT_MS', 30_000, 500, 600_000),
      credentials:
        env.MONITOR500_S3_ACCESS_KEY_ID && env.MONITOR500_S3_SECRET_ACCESS_KEY
          ? { accessKeyId: env.MONITOR500_S3_ACCESS_KEY_ID, secretAccessKey: env.MONITOR500_S3_SECRET_ACCESS_KEY }
          : undefined,
    },
    google: {
      apiRoot: env.MONITOR500_GOOGLE_API_ROOT || undefined,
      accessToken: env.MONITOR500_GOOGLE_ACCESS_TOKEN || undefined,
      // Sheets API: 60 reads and 60 writes a minute per user (counted apart), 300 each per project.
      requestsPerMinute: integer(env, 'MONITOR500_GOOGLE_REQUESTS_PER_MINUTE', 60, 1, 10_000),
      // Drive API: 12 000 requests a minute per user.
      driveRequestsPerMinute: integer(env, 'MONITOR500_DRIVE_REQUESTS_PER_MINUTE', 600, 1, 100_000),
      concurrency: integer(env, 'MONITOR500_GOOGLE_CONCURRENCY', 4, 1, 64),
      timeoutMs: integer(env, 'MONITOR500_GOOGLE_TIMEOUT_MS', 30_000, 1000, 600_000),
      folder: env.MONITOR500_GOOGLE_FOLDER?.trim() || undefined,
    },
  };
}

let fromEnvironment: Config | undefined;

/** The configuration of a cloud function instance: its environment, parsed once, on first use. */
export function instanceConfig(): Config {
  return (fromEnvironment ??= parseConfig(process.env));
}

function parseMailOn(text: string | undefined): MailOn {
  const value = (text || 'close').trim().toLowerCase();
  if (value === 'close' || value === 'finish' || value === 'off') return value;
  throw new UsageError(
    `MONITOR500_MAIL_ON: «${text}» — допустимо close (после прогонов, закрывающих этап), finish (после каждого прогона) или off.`,
  );
}

const SENDER = /^(?:[^<>]*<\s*[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+\s*>|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$/;

/**
 * The SMTP server, from MONITOR500_SMTP_URL or MONITOR500_SMTP_HOST and the rest; undefined when
 * neither is set (then no mail is sent). The password may come apart from the URL
 * (MONITOR500_SMTP_PASSWORD, a secret), and then wins. Errors never quote the password.
 */
function parseSmtp(env: Record<string, string | undefined>): SmtpSettings | undefined {
  const urlText = env.MONITOR500_SMTP_URL?.trim();
  const hostText = env.MONITOR500_SMTP_HOST?.trim();
  if (!urlText && !hostText) return undefined;
  let host = hostText ?? '';
  let port: number | undefined;
  let user = env.MONITOR500_SMTP_USER || undefined;
  let password = env.MONITOR500_SMTP_PASSWORD || undefined;
  let tlsFromUrl: SmtpTls | undefined;
  if (urlText) {
    let url: URL;
    try {
      url = new URL(urlText);
    } catch {
      url = new URL('invalid:');
    }
    if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
      throw new UsageError(
        'MONITOR500_SMTP_URL должно быть вида smtp://пользователь:пароль@сервер:587 или smtps://сервер:465.',
      );
    }
    host = url.hostname.replace(/^\[|\]$/g, '');
    if (url.port) port = Number(url.port);
    if (url.username) user ??= decodeURIComponent(url.username);
    if (url.password) password ??= decodeURIComponent(url.password);
    if (url.protocol === 'smtps:') tlsFromUrl = 'implicit';
  }
  const tlsText = env.MONITOR500_SMTP_TLS?.trim().toLowerCase();
  if (tlsText && tlsText !== 'starttls' && tlsText !== 'implicit' && tlsText !== 'none') {
    throw new UsageError(
      `MONITOR500_SMTP_TLS: «${tlsText}» — допустимо starttls (по умолчанию, порт 587), implicit (TLS сразу, порт 465) или none (без шифрования, только для местного сервера).`,
    );
  }
  const tls: SmtpTls =
    (tlsText as SmtpTls | undefined) ??
    tlsFromUrl ??
    (env.MONITOR500_SMTP_PORT?.trim() === '465' ? 'implicit' : 'starttls');
  if (env.MONITOR500_SMTP_PORT) port = integer(env, 'MONITOR500_SMTP_PORT', 587, 1, 65_535);
  port ??= tls === 'implicit' ? 465 : 587;
  const from = env.MONITOR500_SMTP_FROM?.trim() ?? '';
  if (!SENDER.test(from)) {
    throw new UsageError(
      'MONITOR500_SMTP_FROM должно быть адресом отправителя: monitor@example.ru или «Монитор 500+ <monitor@example.ru>».',
    );
  }
  return {
    host,
    port,
    user,
    password,
    from,
    tls,
    timeoutMs: integer(env, 'MONITOR500_SMTP_TIMEOUT_MS', 30_000, 1000, 600_000),
  };
}

function parseStage(text: string | undefined): Stage {
  if (!text) return 'промежуточный';
  const stage = stageNamed(text);
  if (!stage) throw new UsageError(`MONITOR500_STAGE: «${text}» — нет такого этапа; допустимо: ${STAGES.join(', ')}.`);
  return stage;
}

function parseTimeZone(text: string | undefined): string {
  const zone = text || 'Europe/Moscow';
  try {
    new Intl.DateTimeFormat('ru-RU', { timeZone: zone });
    return zone;
  } catch {
    throw new UsageError(`MONITOR500_TIME_ZONE: «${zone}» — не часовой пояс (например, Asia/Yekaterinburg).`);
  }
}

/** What an "mo:" entry of the allow-list names: a «Код МО», as it stands in the file name of the municipality's report. */
const MUNICIPALITY_ENTRY = /^mo:(?!\.)[\p{L}\p{N}._-]+$/u;

/**
 * MONITOR500_HTTP_ALLOWED: JSON, caller e-mail → entries: a spreadsheet ID (or the reference the
 * registry writes), "mo:<код МО>" (a municipality) or "*". An "mo:" entry must name a code, and one
 * made of letters, digits, dots, dashes and underscores (what the municipality's report file is
 * named by), so a typo like "mo:" or "mo: 56-01" stops the function at start instead of reaching nothing.
 */
function parseAllowed(text: string | undefined): Record<string, string[]> {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = undefined;
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'))
  ) {
    throw new UsageError(
      'MONITOR500_HTTP_ALLOWED должно быть JSON вида {"адрес@почта": ["ID таблицы", "mo:код МО", "*"]}: ID Google-таблицы, муниципалитет (mo: и код МО) или "*" — весь регион.',
    );
  }
  const allowed = value as Record<string, string[]>;
  // The error names the entry, not the e-mail: configuration errors reach the logs, which keep no addresses.
  for (const entries of Object.values(allowed)) {
    const wrong = entries.find((entry) => entry.startsWith('mo:') && !MUNICIPALITY_ENTRY.test(entry));
    if (wrong !== undefined) {
      throw new UsageError(
        `MONITOR500_HTTP_ALLOWED: запись «${wrong}» — после «mo:» нужен код МО из вкладки «Муниципалитеты» без пробелов (буквы, цифры, точка, дефис, подчёркивание), например "mo:56-01".`,
      );
    }
  }
  return allowed;
}
