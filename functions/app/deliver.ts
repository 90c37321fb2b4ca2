import { createHash } from 'node:crypto';
import type { IsoDate } from '../core/calendar.js';
import {
  composeMessage,
  composeReminder,
  fileName,
  manifestFiles,
  planDelivery,
  type DeliveryFile,
  type MessageFiles,
  type PlannedMessage,
} from '../core/delivery-plan.js';
import type { Stage } from '../core/indicators.js';
import { readRegistryWorkbook, usableRows } from '../core/read-workbook.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import type { MonitoringRules } from '../monitoring-rules.js';
import { keptInputs } from './kept-inputs.js';
import type { MailAttachment, Mailer } from './ports/mailer.js';
import { json, readJson, type OutputStore } from './ports/output-store.js';
import type { RunStateStore } from './ports/run-state-store.js';

/** What delivery reports, like the entry points' Log: identifiers and counts, never an address or a name. */
export type DeliveryLog = (
  severity: 'INFO' | 'WARNING',
  message: string,
  fields: Record<string, string | number | boolean>,
) => void;

/** What delivering a finished run works with. */
export interface DeliveryPorts {
  /** The run's deliverables: manifest.json, validation.json and the documents. */
  output: OutputStore;
  /** The run's state, with its kept inputs: the registry as the run read it. */
  state: RunStateStore;
  /** Where the send ledger of this run goes (`mail/<sha256 of the address>.json`). */
  ledger: RunStateStore;
  mailer: Mailer;
  rules: Pick<MonitoringRules, 'specs' | 'settings'>;
  now: () => Date;
  log?: DeliveryLog;
}

export interface DeliverySettings {
  /** Attachments of one message together at most (bytes); larger files go as links. */
  attachBytes: number;
  /** Lifetime of a link to a file too large to attach (where the store signs links). */
  linkSeconds: number;
  /** Where the run's files lie, for a message whose file is too large and the store signs no link. */
  place: string;
  /** A claim older than this whose send never reported (the process died) is tried again. */
  staleSeconds: number;
  /** Attempts per address before it is given up (a refusal every time). */
  maxAttempts?: number;
}

/** One address's line in the ledger; the address itself is only in the key's hash. */
export interface LedgerRecord {
  status: 'sending' | 'sent' | 'failed';
  attempt: number;
  /** When this attempt was claimed. */
  at: string;
  sentAt?: string;
  attachments?: number;
  links?: number;
  /** Why the attempt failed: the server's reply code, never its text. */
  error?: string;
}

export interface DeliverySummary {
  /** Addresses with something to receive. */
  planned: number;
  /** Sent by this call. */
  sent: number;
  /** Sent before (a redelivered message, a rerun). */
  alreadySent: number;
  /** Failed in this call: tried again by a later call. */
  failed: number;
  /** Being sent by another call now, or given up after the last attempt. */
  elsewhere: number;
  /** Every address has its message (or was given up): nothing is left to retry. */
  complete: boolean;
}

const DEFAULT_ATTEMPTS = 5;
/** Failures in a row after which a call stops: a server that is down would hold it for a timeout per address. */
const FAILURES_TO_STOP = 3;
const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The ledger key of an address: its SHA-256, so that no key and no log line holds it. */
export function recipientHash(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex');
}

const ledgerKey = (hash: string) => `mail/${hash}.json`;
/** The claim of a retry: created once, so that of two calls retrying at once only one sends. */
const attemptKey = (hash: string, attempt: number) => `mail/${hash}.attempt-${attempt}.json`;

/**
 * E-mails a finished run's documents by scope: each address of the registry gets one message with
 * what is its (core/delivery-plan.ts). Runs after the run's documents and manifest are stored, and
 * never fails the run: a refused message is recorded in the ledger and tried again by a later call.
 *
 * The ledger (`mail/<sha256>.json` in the run's state) is a claim made BEFORE sending, with the
 * store's create-once: of two calls (a redelivered message, a rerun, a retry at the same time)
 * exactly one sends. The claim becomes «sent» or «failed» when the server answers. A failed
 * address is claimed again for the next attempt (`mail/<sha256>.attempt-<n>.json`, create-once);
 * a claim left «sending» by a process that died is taken over after `staleSeconds` — the one case
 * where a message may go twice (the server accepted it in the moment before the process died).
 */
export async function deliverRun(ports: DeliveryPorts, settings: DeliverySettings): Promise<DeliverySummary> {
  const summary: DeliverySummary = {
    planned: 0,
    sent: 0,
    alreadySent: 0,
    failed: 0,
    elsewhere: 0,
    complete: true,
  };
  const manifest = await readJson<{ asOf: IsoDate; stage: Stage; documents: unknown[] }>(ports.output, 'manifest.json');
  if (!manifest) {
    ports.log?.('WARNING', 'Письма не отправлены: прогон не завершён (нет manifest.json).', {});
    return { ...summary, complete: false };
  }
  const messages = await planMessages(ports, manifest);
  summary.planned = messages.length;
  let failedInRow = 0;
  for (const message of messages) {
    if (failedInRow >= FAILURES_TO_STOP) {
      // The server is down or refusing everything: the rest wait for the next call, unclaimed.
      summary.complete = false;
      break;
    }
    const hash = recipientHash(message.address);
    const claim = await claimAttempt(ports.ledger, hash, ports.now(), settings);
    if (claim.outcome !== 'claimed') {
      if (claim.outcome === 'sent') summary.alreadySent++;
      else {
        summary.elsewhere++;
        if (claim.outcome === 'busy') summary.complete = false;
      }
      continue;
    }
    const recipient = hash.slice(0, 16);
    try {
      const { attachments, files } = await messageFiles(ports.output, message.files, settings);
      const { subject, text } = composeMessage(message, manifest, files);
      await ports.mailer.send({ to: [message.address], subject, text, attachments });
      const record: LedgerRecord = {
        ...claim.record,
        status: 'sent',
        sentAt: ports.now().toISOString(),
        attachments: attachments.length,
        links: files.linked.length + files.placed.length,
      };
      await ports.ledger.write(ledgerKey(hash), json(record));
      summary.sent++;
      failedInRow = 0;
      ports.log?.('INFO', 'Письмо отправлено.', {
        recipient,
        attempt: record.attempt,
        attachments: attachments.length,
        links: record.links ?? 0,
      });
    } catch (error) {
      const reason =
        error instanceof Error ? `${error.name}: ${withoutAddresses(error.message)}`.slice(0, 200) : 'сбой';
      const record: LedgerRecord = { ...claim.record, status: 'failed', error: reason };
      try {
        await ports.ledger.write(ledgerKey(hash), json(record));
      } catch {
        // The claim stays «sending» and is taken over once stale.
      }
      summary.failed++;
      failedInRow++;
      summary.complete = false;
      ports.log?.('WARNING', 'Письмо не отправлено; будет отправлено при следующей попытке.', {
        recipient,
        attempt: record.attempt,
        error: reason,
      });
    }
  }
  ports.log?.('INFO', 'Рассылка по прогону.', {
    planned: summary.planned,
    sent: summary.sent,
    alreadySent: summary.alreadySent,
    failed: summary.failed,
    elsewhere: summary.elsewhere,
  });
  return summary;
}

type Claim =
  | { outcome: 'claimed'; record: LedgerRecord }
  | { outcome: 'sent' }
  /** Another call is sending it now: not done yet. */
  | { outcome: 'busy' }
  /** Given up after the last attempt. */
  | { outcome: 'given-up' };

/** Takes the right to send to an address: the first claim, or the next attempt after a failure or a stale claim. */
async function claimAttempt(
  ledger: RunStateStore,
  hash: string,
  now: Date,
  settings: DeliverySettings,
): Promise<Claim> {
  const first: LedgerRecord = { status: 'sending', attempt: 1, at: now.toISOString() };
  if (await ledger.create(ledgerKey(hash), json(first))) return { outcome: 'claimed', record: first };
  const record = await readJson<LedgerRecord>(ledger, ledgerKey(hash));
  if (!record) return { outcome: 'busy' };
  if (record.status === 'sent') return { outcome: 'sent' };
  const stale = now.getTime() - new Date(record.at).getTime() >= settings.staleSeconds * 1000;
  if (record.status === 'sending' && !stale) return { outcome: 'busy' };
  if (record.attempt >= (settings.maxAttempts ?? DEFAULT_ATTEMPTS)) return { outcome: 'given-up' };
  const next: LedgerRecord = { status: 'sending', attempt: record.attempt + 1, at: now.toISOString() };
  if (!(await ledger.create(attemptKey(hash, next.attempt), json({ at: next.at })))) return { outcome: 'busy' };
  await ledger.write(ledgerKey(hash), json(next));
  return { outcome: 'claimed', record: next };
}

/** The registry as the run read it, its findings and files, planned into messages. */
async function planMessages(ports: DeliveryPorts, manifest: { documents: unknown[] }): Promise<PlannedMessage[]> {
  const kept = keptInputs(ports.state);
  const registry = readRegistryWorkbook(await kept.readRegistry(), ports.rules.specs, ports.rules.settings);
  const validation = await readJson<{ issues: ValidationIssue[] }>(ports.output, 'validation.json');
  // A school's findings are those of its workbook as read: the name the workbook was kept under.
  const workbookNames = new Map<string, string>();
  for (const row of usableRows(registry, 'schools')) {
    const reference = row.values.workbook;
    if (!row.values.participant || !reference) continue;
    try {
      workbookNames.set(row.values.code, (await kept.readSchoolWorkbook(reference)).name);
    } catch {
      // Not read in this run (not arrived, unreadable): its findings are on the registry's row.
    }
  }
  return planDelivery({ registry, files: manifestFiles(manifest), issues: validation?.issues ?? [], workbookNames });
}

/** The message's files: attached while they fit together under the limit, the rest as links or where they lie. */
async function messageFiles(
  output: OutputStore,
  files: readonly DeliveryFile[],
  settings: DeliverySettings,
): Promise<{ attachments: MailAttachment[]; files: MessageFiles }> {
  const attachments: MailAttachment[] = [];
  const result: MessageFiles = {
    attached: [],
    linked: [],
    placed: [],
    linkHours: Math.round(settings.linkSeconds / 3600),
  };
  const names = new Set<string>();
  let total = 0;
  for (const file of files) {
    const content = await output.read(file.path);
    if (!content) continue;
    if (total + content.byteLength <= settings.attachBytes) {
      total += content.byteLength;
      let filename = fileName(file.path);
      if (names.has(filename)) filename = file.path.replace(/\//g, '_');
      names.add(filename);
      const extension = filename.slice(filename.lastIndexOf('.') + 1).toLowerCase();
      attachments.push({ filename, content, contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream' });
      result.attached.push(file);
    } else if (output.presignedUrl) {
      result.linked.push({ file, url: await output.presignedUrl(file.path, settings.linkSeconds) });
    } else {
      result.placed.push({ file, where: `${settings.place.replace(/\/+$/, '')}/${file.path}` });
    }
  }
  return { attachments, files: result };
}

/** A server's or library's error text without the addresses it may quote. */
function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<адрес>');
}

/**
 * E-mails each reminded school its reminder line («Эл. почта школы»). The reminder's record in the
 * run state is created once per deadline, day and school (app/submission-status.ts), and only
 * schools whose record this run created are passed here, so a school gets one reminder a day; a
 * refused one is not tried again (the line is on its «Проверка» too, and the next reminder day
 * comes). Answers how many were sent; never throws for a refusal, and logs no address.
 */
export async function sendReminders(
  mailer: Mailer,
  reminders: readonly { code: string; name: string; text: string; to: readonly string[]; sheetUrl?: string }[],
  log?: DeliveryLog,
): Promise<number> {
  let sent = 0;
  for (const reminder of reminders) {
    if (reminder.to.length === 0) continue;
    try {
      await mailer.send({ to: [...reminder.to], ...composeReminder(reminder), attachments: [] });
      sent++;
    } catch (error) {
      log?.('WARNING', 'Напоминание школе не отправлено.', {
        schoolCode: reminder.code,
        reason: error instanceof Error ? error.name : 'error',
      });
    }
  }
  return sent;
}
