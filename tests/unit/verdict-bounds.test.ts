import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../functions/core/compute-indicators.js';
import { verdictText } from '../../functions/core/documents/indicator-text.js';
import { measureAgainst, metWithin, type IndicatorTarget } from '../../functions/core/indicator.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import type { RawCell, RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
} from '../../functions/core/read-workbook.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { MOTIVATION, registry, schoolA, schoolB } from '../support/fixture-region.js';

const rules = monitoringRules();

function compute(schools: Record<string, RawWorkbook>, reg: RawWorkbook = registry): MonitoringIndicators {
  const read = readRegistryWorkbook(reg, rules.specs, rules.settings);
  const participants: ParticipantReading[] = usableRows(read, 'schools')
    .filter((r) => r.values.participant)
    .map((row) => {
      const raw = schools[row.values.workbook ?? ''];
      return raw
        ? { row, status: 'read', reading: readSchoolWorkbook(raw, rules.specs, rules.settings, read.schoolYear) }
        : { row, status: 'missing', reading: undefined };
    });
  return computeIndicators({
    registry: read,
    participants,
    issues: [...read.issues, ...participants.flatMap((p) => p.reading?.issues ?? [])],
    asOf: '2026-11-20',
    stage: 'промежуточный',
    settings: rules.settings,
    recommendations: rules.recommendations,
  });
}

/** The tab's rows replaced by these, each given by its headers (a missing header: an empty cell). */
function withRows(workbook: RawWorkbook, tab: string, rows: Record<string, RawCell['value']>[]): RawWorkbook {
  return {
    ...workbook,
    tabs: workbook.tabs.map((t) => {
      if (t.name !== tab) return t;
      const header = t.rows[0]!;
      return {
        name: tab,
        rows: [header, ...rows.map((r) => header.map((h) => ({ value: r[String(h.value)] ?? null })))],
      };
    }),
  };
}

const survey = (required: RawCell['value'], participated: RawCell['value'], group = 'Учителя') => ({
  'Группа респондентов': group,
  Требуется: required,
  'Приняли участие': participated,
});
const GROUPS = ['Руководитель', 'Заместители руководителя', 'Учителя', 'Обучающиеся', 'Родители'];

describe('a verdict only where the data support it', () => {
  it('bounds decide met per comparator: true or false only when the whole range agrees', () => {
    const atLeast: IndicatorTarget = { comparator: '>=', value: 0.9 };
    expect(metWithin({ low: 0.91, high: 0.95 }, atLeast)).toBe(true);
    expect(metWithin({ low: 0.8, high: 0.89 }, atLeast)).toBe(false);
    expect(metWithin({ low: 0.8, high: 0.93 }, atLeast)).toBeNull();
    expect(metWithin({ low: 3, high: null }, { comparator: '>=', value: 6 })).toBeNull();
    const atMost: IndicatorTarget = { comparator: '<=', value: 3 };
    expect(metWithin({ low: 2, high: 3 }, atMost)).toBe(true);
    expect(metWithin({ low: 4, high: 5 }, atMost)).toBe(false);
    expect(metWithin({ low: 3, high: 4 }, atMost)).toBeNull();
    expect(metWithin({ low: 0, high: 0 }, { comparator: '<=', value: 0 })).toBe(true);
    const exactly: IndicatorTarget = { comparator: '=', value: 1 };
    expect(metWithin({ low: 0.5, high: 0.9 }, exactly)).toBe(false);
    expect(metWithin({ low: 0.5, high: 1 }, exactly)).toBeNull();
    expect(metWithin({ low: false, high: true }, { comparator: '=', value: true })).toBeNull();
    expect(metWithin({ low: false, high: false }, { comparator: '=', value: true })).toBe(false);
    // With bounds, the reason comes along only when the verdict is open.
    const open = measureAgainst(0.92, 'share', atLeast, {
      bounds: { low: 0.8, high: 0.93 },
      rowsLeftOut: [{ tab: 'Анкетирование', rows: 1 }],
    });
    expect(open.met).toBeNull();
    expect(verdictText(open)).toBe('не определено: 1 строка листа «Анкетирование» не прочитана');
    const decided = measureAgainst(0.95, 'share', atLeast, {
      bounds: { low: 0.91, high: 0.96 },
      rowsLeftOut: [{ tab: 'Анкетирование', rows: 1 }],
    });
    expect(decided).toMatchObject({ met: true, bounds: { low: 0.91, high: 0.96 } });
    expect(decided.undetermined).toBeUndefined();
  });

  it('survey coverage: a dropped row with a known «Требуется» leaves the verdict open only when it could flip it', () => {
    // 3 of 3 usable: 110 of 119 = 92,4 %; a fourth row («около 20» participated) required 20: 110/139 … 130/139.
    const rows = [survey(40, 40), survey(50, 45, 'Родители'), survey(29, 25, 'Обучающиеся')];
    const open = compute({
      'a.xlsx': withRows(schoolA, 'Анкетирование', [...rows, survey(20, 'около 20', 'Руководитель')]),
    }).schools['01-001']!.survey.coverage;
    expect(open.value).toBeCloseTo(110 / 119);
    expect(open.met).toBeNull();
    expect(open.bounds).toEqual({ low: 110 / 139, high: 130 / 139 });
    expect(open.undetermined).toEqual({ reason: 'rows-left-out', rowsLeftOut: [{ tab: 'Анкетирование', rows: 1 }] });
    expect(verdictText(open)).toBe('не определено: 1 строка листа «Анкетирование» не прочитана');

    // A dropped row of 2 required cannot bring 110/119 below 90 %: still «достигнуто».
    const small = compute({
      'a.xlsx': withRows(schoolA, 'Анкетирование', [...rows, survey(2, 'около 2', 'Руководитель')]),
    }).schools['01-001']!.survey.coverage;
    expect(small.met).toBe(true);
    // Nor can a dropped row lift 50 % to 90 %: «не достигнуто».
    const low = compute({
      'a.xlsx': withRows(schoolA, 'Анкетирование', [survey(100, 50), survey(2, 'около 2', 'Руководитель')]),
    }).schools['01-001']!.survey.coverage;
    expect(low.met).toBe(false);
    // Unknown «Требуется»: no limit, the verdict stays open.
    const unknown = compute({
      'a.xlsx': withRows(schoolA, 'Анкетирование', [...rows, survey('много', 10, 'Руководитель')]),
    }).schools['01-001']!.survey.coverage;
    expect(unknown.met).toBeNull();
  });

  it('counts: a dropped event or course may add to the count; a dropped roadmap row may be overdue', () => {
    const event = (date: RawCell['value'], hours: number) => ({
      Дата: date,
      Тема: 'Тема',
      Форма: 'семинар',
      Часов: hours,
      Участников: 10,
    });
    // A 5-hour event with an impossible date may have been this year's only long event.
    const openEvents = compute({
      'a.xlsx': withRows(schoolA, 'Мероприятия', [event('31.09.2026', 5)]),
    }).schools['01-001']!.events.long;
    expect(openEvents).toMatchObject({ value: 0, met: null, bounds: { low: 0, high: 1 } });
    // A 2-hour one could not: «не достигнуто» stands.
    expect(
      compute({ 'a.xlsx': withRows(schoolA, 'Мероприятия', [event('31.09.2026', 2)]) }).schools['01-001']!.events.long
        .met,
    ).toBe(false);

    // School A has 7 listeners on long courses; a dropped course cannot undo that, but with 2 it could reach 6.
    const course = (listeners: RawCell['value'], finished: RawCell['value']) => ({
      Программа: 'Курс',
      Часов: 36,
      'Категория слушателей': 'учитель',
      Слушателей: listeners,
      'Дата окончания': finished,
    });
    const pd = (rows: Record<string, RawCell['value']>[]) =>
      compute({ 'a.xlsx': withRows(schoolA, 'Повышение квалификации', rows) }).schools['01-001']!.pd.trainedLong;
    expect(pd([course(7, new Date(Date.UTC(2026, 9, 1))), course(3, '31.09.2026')]).met).toBe(true);
    expect(pd([course(2, new Date(Date.UTC(2026, 9, 1))), course(5, '31.09.2026')])).toMatchObject({
      met: null,
      bounds: { low: 2, high: 7 },
    });
    // 2 + at most 3 stays below 6: «не достигнуто» stands.
    expect(pd([course(2, new Date(Date.UTC(2026, 9, 1))), course(3, '31.09.2026')]).met).toBe(false);
    expect(pd([course(2, new Date(Date.UTC(2026, 9, 1))), course('три', '31.09.2026')]).bounds).toEqual({
      low: 2,
      high: null,
    });

    // A roadmap row with a misspelt status and a passed deadline may be overdue.
    const roadmapHeaders = (status: string, deadline: string) => ({
      '№': '9',
      'Фактор риска': MOTIVATION,
      Задача: 'Задача',
      Мероприятие: 'Мероприятие',
      Срок: deadline,
      Ответственный: 'Директор',
      'Ожидаемый результат': 'Отчёт',
      Статус: status,
    });
    const done = (n: string) => ({
      ...roadmapHeaders('выполнено', 'сентябрь'),
      '№': n,
      'Дата выполнения': new Date(Date.UTC(2026, 8, 20)),
    });
    const overdue = compute({
      'a.xlsx': withRows(schoolA, 'Дорожная карта', [done('1'), roadmapHeaders('выполнен', 'октябрь')]),
    }).schools['01-001']!.roadmap.overdue;
    expect(overdue).toMatchObject({ value: 0, met: null, bounds: { low: 0, high: 1 } });
    expect(verdictText(overdue)).toBe('не определено: 1 строка листа «Дорожная карта» не прочитана');
  });

  it('effective mode and the shares of schools become undetermined, not false, when a condition is open', () => {
    const result = compute({
      'a.xlsx': schoolA,
      'b.xlsx': withRows(schoolB, 'Анкетирование', [survey(40, 38), survey(20, 'около 20', 'Руководитель')]),
    });
    const b = Object.values(result.schools).find((s) => s.workbook.name === 'b.xlsx')!;
    expect(b.survey.coverage.met).toBeNull();
    // Region: school В has no workbook, so 100 % is out of reach whatever B's row held — decided.
    const region = result.region.surveyCoveredShare;
    expect(region).toMatchObject({ met: false, bounds: { low: 1 / 3, high: 2 / 3 } });
    // МО-01 (schools A and B): 50 % or 100 % — undetermined, with the reason.
    const municipal = result.municipalities['МО-01']!.surveyCoveredShare;
    expect(municipal).toMatchObject({ value: 0.5, met: null, bounds: { low: 0.5, high: 1 } });
    expect(municipal.undetermined).toEqual({ reason: 'schools-undetermined', schools: 1 });
    expect(verdictText(municipal)).toBe('не определено: у 1 школы показатель не определён');
    expect(rules.checkIndicators(result)).toBe(true);

    // School A meets every condition of the mode except what a dropped roadmap row could change.
    const roadmap = (n: string, status: string, completed?: Date) => ({
      '№': n,
      'Фактор риска': MOTIVATION,
      Задача: 'Задача',
      Мероприятие: 'Мероприятие',
      Срок: 'сентябрь',
      Ответственный: 'Директор',
      'Ожидаемый результат': 'Отчёт',
      Статус: status,
      'Дата выполнения': completed ?? null,
    });
    const fine = compute({ 'a.xlsx': schoolA }).schools['01-001']!;
    const rows = ['1', '2', '3', '4'].map((n) => roadmap(n, 'выполнено', new Date(Date.UTC(2026, 8, 20))));
    const allDone = compute({ 'a.xlsx': withRows(schoolA, 'Дорожная карта', rows) }).schools['01-001']!;
    const withBadRow = compute({
      'a.xlsx': withRows(schoolA, 'Дорожная карта', [...rows, roadmap('5', 'выполнен')]),
    });
    const a = withBadRow.schools['01-001']!;
    expect(fine.effectiveMode.value).toBe(true);
    expect(allDone.effectiveMode.value).toBe(true);
    // The dropped row may be done (still effective) or open and overdue (not): undetermined, not false.
    expect(a.effectiveMode.value).toBeNull();
    expect(a.effectiveMode.undetermined).toEqual({
      reason: 'rows-left-out',
      rowsLeftOut: [{ tab: 'Дорожная карта', rows: 1 }],
    });
    expect(a.effectiveModeGaps).toEqual(['не определено: 1 строка листа «Дорожная карта» не прочитана']);
    // МО-01's share of effective schools: 0 or 50 %, both below 75 % — decided; the range is kept.
    expect(withBadRow.municipalities['МО-01']!.effectiveModeShare).toMatchObject({
      met: false,
      bounds: { low: 0, high: 0.5 },
    });
    expect(rules.checkIndicators(withBadRow)).toBe(true);
  });

  it('met is never true or false when some completion of the dropped survey rows would flip it (brute force)', () => {
    const pair = fc.tuple(fc.nat(12), fc.nat(14));
    fc.assert(
      fc.property(
        fc.array(pair, { minLength: 0, maxLength: 3 }),
        fc.array(fc.nat(8), { minLength: 1, maxLength: 2 }),
        (usable, dropped) => {
          const rows = [
            ...usable.map(([r, p], i) => survey(r, p, GROUPS[i]!)),
            ...dropped.map((r, i) => survey(r, 'неизвестно', GROUPS[3 + i]!)),
          ];
          const coverage = compute({ 'a.xlsx': withRows(schoolA, 'Анкетирование', rows) }).schools['01-001']!.survey
            .coverage;
          const required = usable.reduce((s, [r]) => s + r, 0);
          const counted = usable.reduce((s, [r, p]) => s + Math.min(r, p), 0);
          // Every completion: each dropped row held some required d ≤ its own and participated n ≤ d.
          let completions: [number, number][] = [[counted, required]];
          for (const r of dropped) {
            completions = completions.flatMap(([c, q]) =>
              Array.from({ length: r + 1 }, (_, d) =>
                Array.from({ length: d + 1 }, (_, n) => [c + n, q + d] as [number, number]),
              ).flat(),
            );
          }
          const values = completions.filter(([, q]) => q > 0).map(([c, q]) => c / q);
          const target = coverage.target!.value as number;
          if (coverage.met === true) for (const v of values) expect(v).toBeGreaterThanOrEqual(target - 1e-9);
          if (coverage.met === false) for (const v of values) expect(v).toBeLessThan(target + 1e-9);
          if (coverage.met === false) expect(values.some((v) => v >= target - 1e-9)).toBe(false);
          if (coverage.bounds && typeof coverage.bounds.low === 'number')
            for (const v of values) {
              expect(v).toBeGreaterThanOrEqual(coverage.bounds.low - 1e-9);
              expect(v).toBeLessThanOrEqual((coverage.bounds.high as number) + 1e-9);
            }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('met is never true or false when some completion of dropped events would flip it (brute force)', () => {
    fc.assert(
      fc.property(fc.nat(2), fc.nat(3), (long, dropped) => {
        const good = Array.from({ length: long }, () => ({
          Дата: new Date(Date.UTC(2026, 9, 1)),
          Тема: 'Т',
          Форма: 'семинар',
          Часов: 4,
          Участников: 5,
        }));
        const bad = Array.from({ length: dropped }, () => ({
          Дата: '31.09.2026',
          Тема: 'Т',
          Форма: 'семинар',
          Часов: 4,
          Участников: 5,
        }));
        const events = compute({ 'a.xlsx': withRows(schoolA, 'Мероприятия', [...good, ...bad]) }).schools['01-001']!
          .events.long;
        const target = events.target!.value as number;
        const possible = Array.from({ length: dropped + 1 }, (_, k) => long + k >= target);
        if (events.met === true) expect(possible.every(Boolean)).toBe(true);
        if (events.met === false) expect(possible.some(Boolean)).toBe(false);
        // And it is decided whenever every completion agrees.
        if (possible.every(Boolean) || !possible.some(Boolean)) expect(events.met).not.toBeNull();
      }),
      { numRuns: 30 },
    );
  });
});
