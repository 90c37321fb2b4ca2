import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../functions/config.js';
import { coerceCell } from '../../functions/core/coerce-cell.js';
import { composeMessage, manifestFiles, planDelivery, type DeliveryFile } from '../../functions/core/delivery-plan.js';
import { readRegistryWorkbook } from '../../functions/core/read-workbook.js';
import { sheetLink } from '../../functions/core/sheet-link.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { blankSheets } from '../../functions/core/workbook-sheets.js';
import { UsageError } from '../../functions/errors.js';
import { registryTabs } from '../support/fixture-region.js';
import { rawBook, rules } from '../support/workbook-content.js';

const email = (value: string | null) => coerceCell({ value }, { type: 'email' }, undefined);

describe('e-mail cells', () => {
  it('take one address or several, separated by commas or semicolons', () => {
    expect(email('school5@example.ru')).toEqual({ kind: 'value', value: 'school5@example.ru' });
    expect(email(' a@example.ru;b@mo.example.ru ,  c@example.ru ')).toEqual({
      kind: 'value',
      value: 'a@example.ru, b@mo.example.ru, c@example.ru',
    });
    expect(email('mailto:a@example.ru')).toEqual({ kind: 'value', value: 'a@example.ru' });
    expect(email('  ')).toEqual({ kind: 'empty' });
  });

  it.each(['school5', 'a@b', 'Иванов <a@example.ru>', 'a@example.ru, нет', 'a b@example.ru', 'a@@example.ru'])(
    '«%s» is a finding, not_email, naming the bad address',
    (text) => {
      const result = email(text);
      expect(result.kind).toBe('invalid');
      if (result.kind === 'invalid') {
        expect(result.code).toBe('not_email');
        expect(result.message).toContain('name@example.ru');
      }
    },
  );

  it('are in the blank registry the template writes, with their notes', () => {
    const sheets = blankSheets(rules.specs, 'registry');
    const headers = JSON.stringify(sheets);
    for (const header of [
      'Эл. почта школы',
      'Эл. почта куратора',
      'Эл. почта координатора',
      'Эл. почта регионального координатора',
      'Эл. почта министерства',
    ]) {
      expect(headers).toContain(header);
    }
  });
});

describe('the mail settings', () => {
  it('read MONITOR500_SMTP_URL or host and port, TLS as configured', () => {
    const url = parseConfig({
      MONITOR500_SMTP_URL: 'smtps://robot%40example.ru:s%3Acret@smtp.example.ru',
      MONITOR500_SMTP_FROM: 'Монитор 500+ <robot@example.ru>',
    }).mail;
    expect(url.smtp).toMatchObject({
      host: 'smtp.example.ru',
      port: 465,
      tls: 'implicit',
      user: 'robot@example.ru',
      password: 's:cret',
    });
    expect(url).toMatchObject({ on: 'close', attachBytes: 10 * 1024 * 1024, linkSeconds: 72 * 3600 });
    const host = parseConfig({
      MONITOR500_SMTP_HOST: 'smtp.example.ru',
      MONITOR500_SMTP_USER: 'robot',
      MONITOR500_SMTP_PASSWORD: 'secret',
      MONITOR500_SMTP_FROM: 'robot@example.ru',
      MONITOR500_MAIL_ON: 'finish',
      MONITOR500_MAIL_ATTACH_MB: '2',
    }).mail;
    expect(host.smtp).toMatchObject({ port: 587, tls: 'starttls', user: 'robot', password: 'secret' });
    expect(host).toMatchObject({ on: 'finish', attachBytes: 2 * 1024 * 1024 });
    expect(parseConfig({}).mail.smtp).toBeUndefined();
  });

  it.each([
    [{ MONITOR500_MAIL_ON: 'always' }, 'MONITOR500_MAIL_ON'],
    [{ MONITOR500_SMTP_HOST: 'smtp.example.ru' }, 'MONITOR500_SMTP_FROM'],
    [{ MONITOR500_SMTP_URL: 'http://smtp.example.ru', MONITOR500_SMTP_FROM: 'a@example.ru' }, 'MONITOR500_SMTP_URL'],
    [
      { MONITOR500_SMTP_HOST: 'h', MONITOR500_SMTP_FROM: 'a@example.ru', MONITOR500_SMTP_TLS: 'ssl' },
      'MONITOR500_SMTP_TLS',
    ],
    [{ MONITOR500_MAIL_ATTACH_MB: 'много' }, 'MONITOR500_MAIL_ATTACH_MB'],
  ])('%j is a usage error in Russian', (env, name) => {
    expect(() => parseConfig(env)).toThrow(UsageError);
    expect(() => parseConfig(env)).toThrow(name);
  });
});

describe('the delivery plan', () => {
  const file = (path: string, scope: DeliveryFile['scope']): DeliveryFile => ({ path, title: path, scope, kind: 'x' });
  const manifest = {
    documents: [
      {
        kind: 'school-report',
        scope: { level: 'school', code: '01-001' },
        title: 'А',
        path: 'reports/schools/01-001.pdf',
        sha256: 'a',
        docx: { path: 'reports/schools/01-001.docx', sha256: 'ad' },
      },
      {
        kind: 'school-report',
        scope: { level: 'school', code: '01-002' },
        title: 'Б',
        path: 'reports/schools/01-002.pdf',
        sha256: 'b',
      },
      {
        kind: 'school-report',
        scope: { level: 'school', code: '01-002' },
        title: 'Б',
        path: 'reports/schools/01-002.docx',
        sha256: 'bd',
      },
      {
        kind: 'school-report',
        scope: { level: 'school', code: '02-001' },
        title: 'В',
        path: 'reports/schools/02-001.pdf',
      },
      {
        kind: 'region-report',
        scope: { level: 'municipality', code: 'МО-01' },
        title: 'МО-01',
        path: 'reports/municipalities/МО-01.pdf',
      },
      {
        kind: 'region-report',
        scope: { level: 'municipality', code: 'МО-02' },
        title: 'МО-02',
        path: 'reports/municipalities/МО-02.pdf',
      },
      { kind: 'region-report', scope: { level: 'region' }, title: 'Регион', path: 'reports/region.pdf' },
      {
        kind: 'order-plan-graph',
        scope: { level: 'region' },
        title: 'Приказ',
        path: 'orders/plan-graph.pdf',
        docx: 'orders/plan-graph.docx',
      },
    ],
  };

  it('reads .docx twins however the manifest lists them', () => {
    expect(manifestFiles(manifest).map((f) => f.path)).toEqual([
      'reports/schools/01-001.pdf',
      'reports/schools/01-001.docx',
      'reports/schools/01-002.pdf',
      'reports/schools/01-002.docx',
      'reports/schools/02-001.pdf',
      'reports/municipalities/МО-01.pdf',
      'reports/municipalities/МО-02.pdf',
      'reports/region.pdf',
      'orders/plan-graph.pdf',
      'orders/plan-graph.docx',
    ]);
    expect(manifestFiles(manifest)[1]).toMatchObject({ sha256: 'ad', scope: { level: 'school', code: '01-001' } });
  });

  it('gives each address one message with the scopes of all its roles, each file once', () => {
    const [a, b, v, g] = registryTabs.schools.rows;
    const registry = readRegistryWorkbook(
      rawBook('реестр', {
        ...registryTabs,
        region: { rows: [{ ...registryTabs.region.rows[0], ministryEmail: 'Minobr@example.ru; boss@example.ru' }] },
        municipalities: {
          rows: [
            { ...registryTabs.municipalities.rows[0], coordinatorEmail: 'mo1@example.ru' },
            registryTabs.municipalities.rows[1]!,
          ],
        },
        schools: {
          rows: [
            {
              ...a!,
              workbook: 'https://docs.google.com/spreadsheets/d/1AbcdefghijklmnopqrstuvwxyzABCDEFG/edit#gid=0',
              schoolEmail: 'a@example.ru',
              curatorEmail: 'cur@example.ru',
            },
            { ...b!, schoolEmail: 'b@example.ru', curatorEmail: 'cur@example.ru, mo1@example.ru' },
            { ...v!, curatorEmail: 'minobr@example.ru' },
            g!,
          ],
        },
      }),
      rules.specs,
      rules.settings,
    );
    const issue = (workbook: string, severity: ValidationIssue['severity'], message: string): ValidationIssue => ({
      workbook,
      tab: 'Дорожная карта',
      cell: 'D5',
      severity,
      code: 'invalid_value',
      message,
    });
    const issues = [
      issue('a.xlsx', 'warning', 'Предупреждение'),
      ...Array.from({ length: 6 }, (_, i) => issue('a.xlsx', 'error', `Ошибка ${i + 1}`)),
      issue('b.xlsx', 'error', 'Чужая ошибка'),
    ];
    const plan = planDelivery({
      registry,
      files: manifestFiles(manifest),
      issues,
      workbookNames: new Map([
        ['01-001', 'a.xlsx'],
        ['01-002', 'b.xlsx'],
      ]),
    });
    const paths = (address: string) => plan.find((m) => m.address === address)?.files.map((f) => f.path);
    expect(plan.map((m) => m.address).sort()).toEqual(
      [
        'a@example.ru',
        'b@example.ru',
        'cur@example.ru',
        'mo1@example.ru',
        'minobr@example.ru',
        'boss@example.ru',
      ].sort(),
    );
    expect(paths('a@example.ru')).toEqual(['reports/schools/01-001.pdf', 'reports/schools/01-001.docx']);
    expect(paths('cur@example.ru')).toEqual([
      'reports/schools/01-001.pdf',
      'reports/schools/01-001.docx',
      'reports/schools/01-002.pdf',
      'reports/schools/01-002.docx',
    ]);
    // A coordinator who is also a curator: one message, each report once, no other municipality's.
    expect(paths('mo1@example.ru')).toEqual([
      'reports/schools/01-001.pdf',
      'reports/schools/01-001.docx',
      'reports/schools/01-002.pdf',
      'reports/schools/01-002.docx',
      'reports/municipalities/МО-01.pdf',
    ]);
    // The ministry (written in another case) is also school В's curator: merged, region files and В's report.
    expect(paths('minobr@example.ru')).toEqual([
      'reports/schools/02-001.pdf',
      'reports/region.pdf',
      'orders/plan-graph.pdf',
      'orders/plan-graph.docx',
    ]);
    expect(paths('boss@example.ru')).toEqual(['reports/region.pdf', 'orders/plan-graph.pdf', 'orders/plan-graph.docx']);

    const school = plan.find((m) => m.address === 'a@example.ru')!;
    expect(school.schools[0]).toMatchObject({
      errors: 6,
      warnings: 1,
      sheetUrl: 'https://docs.google.com/spreadsheets/d/1AbcdefghijklmnopqrstuvwxyzABCDEFG/edit',
    });
    const { subject, text } = composeMessage(
      school,
      { asOf: '2026-11-20', stage: 'промежуточный' },
      {
        attached: [school.files[0]!],
        linked: [{ file: school.files[1]!, url: 'https://s3.example/x' }],
        placed: [],
        linkHours: 72,
      },
    );
    expect(subject).toBe('Мониторинг «500+»: промежуточный этап, данные на 20 ноября 2026\u00a0г.');
    expect(text).toContain('Школа 01-001 «МБОУ „Школа А“»');
    expect(text).toContain('Замечания к данным школы: 6 ошибок и 1 предупреждение. Первые из них:');
    expect(text).toContain('Ошибка 5');
    expect(text).not.toContain('Ошибка 6');
    expect(text).not.toContain('Чужая ошибка');
    expect(text).toContain('…и ещё 2 замечания');
    expect(text).toContain(
      'Таблица школы: https://docs.google.com/spreadsheets/d/1AbcdefghijklmnopqrstuvwxyzABCDEFG/edit',
    );
    expect(text).toContain('ссылки действуют 72 часа');
    expect(text).toContain('(01-001.docx): https://s3.example/x');
  });

  it('links a Google spreadsheet, not a file', () => {
    expect(sheetLink('1AbcdefghijklmnopqrstuvwxyzABCDEFG')).toBe(
      'https://docs.google.com/spreadsheets/d/1AbcdefghijklmnopqrstuvwxyzABCDEFG/edit',
    );
    expect(sheetLink('schools/56-001.xlsx')).toBeUndefined();
    expect(sheetLink(undefined)).toBeUndefined();
    expect(file('x', { level: 'region' }).path).toBe('x');
  });
});
