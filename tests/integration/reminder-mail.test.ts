/**
 * Reminders of a stage's deadline reach the schools not ready by e-mail too — once a reminder day —
 * through a real SMTP server on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryTabs, schoolATabs, schoolBTabs } from '../support/fixture-region.js';
import { runCli } from '../support/run-cli.js';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';
import { writeBook } from '../support/workbook-content.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
let dir: string;
let smtp: SmtpCapture;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-reminders-'));
  smtp = await startSmtpCapture();
  // Schools А (ready), Б (an empty tab) and В (no table yet), each with its address; deadline 1 October.
  const emails: Record<string, string> = {
    '01-001': 'a@school.example.ru',
    '01-002': 'b@school.example.ru',
    '02-001': 'v@school.example.ru',
  };
  await writeBook(path.join(dir, 'реестр.xlsx'), {
    ...registryTabs,
    region: { rows: [{ ...registryTabs.region.rows[0], entryDeadline: day('2026-10-01') }] },
    schools: {
      rows: registryTabs.schools.rows.map((row) => ({ ...row, schoolEmail: emails[row.code] ?? null })),
    },
  });
  await writeBook(path.join(dir, 'a.xlsx'), schoolATabs);
  await writeBook(path.join(dir, 'b.xlsx'), schoolBTabs);
});
afterAll(async () => {
  await smtp?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (asOf: string) =>
  runCli(
    ['run', '--source', path.join(dir, 'реестр.xlsx'), '--out', path.join(dir, 'out'), '--as-of', asOf, '--send'],
    {
      MONITOR500_SMTP_URL: smtp.url,
      MONITOR500_SMTP_FROM: 'monitor500@example.ru',
      MONITOR500_SMTP_TLS: 'none',
    },
  );
const reminders = () =>
  smtp.messages.filter((m) => m.subject === 'Мониторинг «500+»: напоминание о сроке сдачи таблиц');

describe('reminders by e-mail', () => {
  it('go on a reminder day to each school not ready, once, with what is left to do', async () => {
    // 28 September: three days before the deadline.
    const first = await run('2026-09-28');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Напоминаний о сроке: 2.');
    expect(
      reminders()
        .map((m) => m.to)
        .sort(),
    ).toEqual([['b@school.example.ru'], ['v@school.example.ru']]);
    const b = reminders().find((m) => m.to[0] === 'b@school.example.ru')!;
    expect(b.text).toContain('Школа 01-002 «МБОУ „Школа Б“».');
    expect(b.text).toContain(
      'Напоминание: до 1 октября 2026 г. осталось 3 дня — сдайте таблицы входного этапа. Сейчас: есть ошибки (1), не заполнен лист «Мероприятия».',
    );
    expect(b.attachments).toEqual([]);
    // A second run the same day reminds nobody again.
    const second = await run('2026-09-28');
    expect(second.code, second.stderr).toBe(0);
    expect(reminders()).toHaveLength(2);
    // A day that is not a reminder day reminds nobody.
    const third = await run('2026-09-27');
    expect(third.code, third.stderr).toBe(0);
    expect(reminders()).toHaveLength(2);
  });
});
