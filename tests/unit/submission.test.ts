import { describe, expect, it } from 'vitest';
import type { WorkbookReading } from '../../functions/core/read-workbook.js';
import {
  reminderDue,
  reminderText,
  schoolSubmission,
  statusBlock,
  submissionStage,
  submissionTable,
  type SubmissionStage,
} from '../../functions/core/submission.js';
import type { TabSpec } from '../../functions/core/tab-specs.js';
import type { SchoolsRow } from '../../functions/core/tab-types.generated.js';
import type { ValidationIssue } from '../../functions/core/validation-issue.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';

const rules = monitoringRules();
const schoolTabs: TabSpec[] = [...rules.specs.values()].filter((s) => s.workbook === 'school');
const titles = schoolTabs.map((s) => s.title);

const school: SchoolsRow = {
  code: '56-001',
  name: 'МБОУ СОШ № 1',
  municipalityCode: '56-01',
  participant: true,
  workbook: 'sheet-56-001',
} as SchoolsRow;

/** A school workbook whose listed tabs hold one data row each (risk profile: one chosen factor unless told). */
function reading(filled: string[], options: { chosen?: boolean } = {}): WorkbookReading {
  const tabs: Record<string, unknown> = {};
  for (const spec of schoolTabs) {
    const has = filled.includes(spec.id);
    tabs[spec.id] = {
      title: spec.title,
      present: true,
      issues: [],
      rows: has
        ? [
            {
              row: 2,
              usable: true,
              cells: {},
              values: spec.id === 'risk-profile' ? { chosen: options.chosen ?? true } : {},
            },
          ]
        : [],
    };
  }
  return { kind: 'school', name: 'sheet-56-001', tabs, issues: [], schoolYear: { firstYear: 2026 } } as WorkbookReading;
}

const error = (tab: string): ValidationIssue => ({
  workbook: 'sheet-56-001',
  tab,
  cell: 'B2',
  severity: 'error',
  code: 'not_in_list',
  message: 'Ошибка.',
});
const warning: ValidationIssue = { ...error('Анкетирование'), severity: 'warning' };

const ALL = schoolTabs.map((s) => s.id as string);
const interim: SubmissionStage = { stage: 'промежуточный', deadline: '2027-01-20', opened: '2026-11-01' };

describe('the status ladder', () => {
  it('не начато: not read, or no tab with data', () => {
    expect(schoolSubmission(school, undefined, [], interim, schoolTabs, 'unreadable').status).toBe('не начато');
    expect(schoolSubmission(school, reading([]), [], interim, schoolTabs).status).toBe('не начато');
  });

  it('заполняется: a required tab is still empty; the empty tabs are named', () => {
    const s = schoolSubmission(school, reading(['survey', 'risk-profile']), [], interim, schoolTabs);
    expect(s.status).toBe('заполняется');
    expect(s.empty).toEqual(titles.filter((t) => t !== 'Анкетирование' && t !== 'Рисковый профиль'));
  });

  it('the roadmap is not required when the filled risk profile chooses no factor', () => {
    const withoutRoadmap = ALL.filter((id) => id !== 'roadmap');
    expect(schoolSubmission(school, reading(withoutRoadmap, { chosen: false }), [], interim, schoolTabs).status).toBe(
      'готово',
    );
    const chosen = schoolSubmission(school, reading(withoutRoadmap), [], interim, schoolTabs);
    expect(chosen.status).toBe('заполняется');
    expect(chosen.empty).toEqual(['Дорожная карта']);
  });

  it('есть ошибки: all filled, errors remain (warnings do not count)', () => {
    const s = schoolSubmission(
      school,
      reading(ALL),
      [error('Документы'), error('Документы'), warning],
      interim,
      schoolTabs,
    );
    expect(s.status).toBe('есть ошибки');
    expect(s.errors).toBe(2);
    expect(s.tabs.find((t) => t.title === 'Документы')).toEqual({
      title: 'Документы',
      required: true,
      filled: true,
      errors: 2,
    });
    // Findings of another workbook are not this school's.
    expect(
      schoolSubmission(school, reading(ALL), [{ ...error('Документы'), workbook: 'other' }], interim, schoolTabs)
        .status,
    ).toBe('готово');
  });

  it('подтверждено куратором only with a confirmation within the stage', () => {
    const at = (curatorConfirmed: string, stage = interim) =>
      schoolSubmission({ ...school, curatorConfirmed }, reading(ALL), [warning], stage, schoolTabs).status;
    expect(at('2026-11-01')).toBe('подтверждено куратором');
    expect(at('2027-01-20')).toBe('подтверждено куратором');
    expect(at('2026-10-31')).toBe('готово'); // the previous stage's confirmation
    expect(at('2027-01-21')).toBe('готово');
    expect(at('2027-03-01', { stage: 'итоговый', opened: '2027-01-21' })).toBe('подтверждено куратором');
    // Confirmed, but errors remain: not ready.
    expect(
      schoolSubmission(
        { ...school, curatorConfirmed: '2026-12-01' },
        reading(ALL),
        [error('Документы')],
        interim,
        schoolTabs,
      ).status,
    ).toBe('есть ошибки');
  });

  it('the stage opens the day after the previous deadline, or on the school year’s first day', () => {
    const calendar = {
      schoolYear: { firstYear: 2026 },
      stages: [
        { stage: 'входной' as const, deadline: '2026-10-31' },
        { stage: 'промежуточный' as const, deadline: '2027-01-20' },
      ],
    };
    expect(submissionStage('промежуточный', calendar, '2027-01-13')).toEqual(interim);
    expect(submissionStage('входной', calendar, '2026-10-01')).toEqual({
      stage: 'входной',
      deadline: '2026-10-31',
      opened: '2026-09-01',
    });
    expect(submissionStage('итоговый', calendar, '2027-03-01')).toEqual({ stage: 'итоговый', opened: '2026-09-01' });
    expect(submissionStage('итоговый', undefined, '2027-03-01')).toEqual({ stage: 'итоговый', opened: '2026-09-01' });
  });
});

describe('reminders', () => {
  it('are due 7, 3 and 1 days before the deadline, never on it or after', () => {
    const due = (asOf: string) => reminderDue(asOf, '2027-01-20', [7, 3, 1]);
    expect(['2027-01-13', '2027-01-17', '2027-01-19'].map(due)).toEqual([true, true, true]);
    expect(['2027-01-12', '2027-01-14', '2027-01-18', '2027-01-20', '2027-01-21'].map(due)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    // Across a month and a year end; and a leap day.
    expect(reminderDue('2026-12-25', '2027-01-01', [7])).toBe(true);
    expect(reminderDue('2028-02-28', '2028-03-01', [2])).toBe(true);
    expect(reminderDue('2027-02-28', '2027-03-01', [2])).toBe(false);
  });

  it('say how many days are left, the stage, and what the school still has to do', () => {
    const errors = Array.from({ length: 12 }, () => error('Документы'));
    const s = schoolSubmission(
      school,
      reading(ALL.filter((id) => id !== 'events' && id !== 'survey')),
      errors,
      interim,
      schoolTabs,
    );
    expect(reminderText(s, 'промежуточный', '2027-01-17', '2027-01-20')).toBe(
      'Напоминание: до 20 января 2027\u00a0г. осталось 3 дня — сдайте таблицы промежуточного этапа. Сейчас: есть ошибки (12), не заполнены листы «Анкетирование», «Мероприятия».',
    );
    const one = schoolSubmission(school, reading(ALL.filter((id) => id !== 'events')), [], interim, schoolTabs);
    expect(reminderText(one, 'промежуточный', '2027-01-19', '2027-01-20')).toBe(
      'Напоминание: до 20 января 2027\u00a0г. остался 1 день — сдайте таблицы промежуточного этапа. Сейчас: не заполнен лист «Мероприятия».',
    );
    const none = schoolSubmission(school, undefined, [], interim, schoolTabs, 'missing');
    expect(reminderText(none, 'итоговый', '2027-05-13', '2027-05-20')).toBe(
      'Напоминание: до 20 мая 2027\u00a0г. осталось 7 дней — сдайте таблицы итогового этапа. Сейчас: не начато — ни один лист не заполнен.',
    );
  });
});

describe('what people read', () => {
  it('the «Проверка» block: status, stage, reminder, one line per tab', () => {
    const s = schoolSubmission(school, reading(ALL), [error('Документы')], interim, schoolTabs);
    const block = statusBlock(s, interim, 'Напоминание: …');
    expect(block.slice(0, 4)).toEqual([
      ['Статус сдачи', 'есть ошибки (1 ошибка)'],
      ['Этап', 'промежуточный, срок сдачи — 20 января 2027\u00a0г.'],
      ['Напоминание: …'],
      ['Лист', 'Заполнен', 'Ошибок'],
    ]);
    expect(block.slice(4)).toEqual(titles.map((t) => [t, 'да', t === 'Документы' ? '1' : '0']));
  });

  it('the registry’s «Сдача таблиц»: one row per school, last change in the region’s time', () => {
    const s = schoolSubmission(
      { ...school, curatorConfirmed: '2026-12-01' },
      { ...reading(['survey']), lastChange: { at: '2026-11-20T09:05:00Z', by: 'Иванова Мария' } },
      [],
      interim,
      schoolTabs,
    );
    const missing = schoolSubmission({ ...school, code: '56-002' }, undefined, [], interim, schoolTabs, 'missing');
    expect(submissionTable([s, missing], 'Asia/Yekaterinburg')).toEqual([
      [
        'Код ОО',
        'Школа',
        'МО',
        'Статус',
        'Ошибок',
        'Не заполнены',
        'Последнее изменение',
        'Кем',
        'Подтверждено куратором',
      ],
      [
        '56-001',
        'МБОУ СОШ № 1',
        '56-01',
        'заполняется',
        '0',
        titles.slice(1).join(', '),
        '20.11.2026 14:05',
        'Иванова Мария',
        '01.12.2026',
      ],
      ['56-002', 'МБОУ СОШ № 1', '56-01', 'не начато', '0', 'таблица школы не найдена', '', '', ''],
    ]);
  });
});
