import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../functions/core/compute-indicators.js';
import { isIndicator } from '../../functions/core/indicator.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import type { RawCell, RawTab, RawWorkbook } from '../../functions/core/raw-workbook.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
} from '../../functions/core/read-workbook.js';
import { monitoringRules } from '../../functions/monitoring-rules.js';
import { MOTIVATION, PARENTS, registry, schoolA, schoolB } from '../support/fixture-region.js';

const rules = monitoringRules();

function compute(reg: RawWorkbook, schools: Record<string, RawWorkbook>): MonitoringIndicators {
  const read = readRegistryWorkbook(reg, rules.specs, rules.settings);
  const participants: ParticipantReading[] = usableRows(read, 'schools')
    .filter((r) => r.values.participant)
    .map((row) => {
      const raw = schools[row.values.workbook ?? ''];
      return raw
        ? { row, status: 'read', reading: readSchoolWorkbook(raw, rules.specs, rules.settings, read.schoolYear) }
        : { row, status: 'missing', reading: undefined };
    });
  const issues = [...read.issues, ...participants.flatMap((p) => p.reading?.issues ?? [])];
  return computeIndicators({
    registry: read,
    participants,
    issues,
    asOf: '2026-11-20',
    stage: 'промежуточный',
    settings: rules.settings,
    recommendations: rules.recommendations,
  });
}

const withTab = (workbook: RawWorkbook, name: string, rows: RawCell['value'][][]): RawWorkbook => ({
  ...workbook,
  tabs: workbook.tabs.map((t) =>
    t.name === name ? { name, rows: [t.rows[0]!, ...rows.map((r) => r.map((value) => ({ value })))] } : t,
  ),
});

/** Every indicator in the output, with its path. */
function indicatorsIn(node: unknown, path = ''): [string, { value: unknown; unit: string }][] {
  if (isIndicator(node)) return [[path, node]];
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => indicatorsIn(value, `${path}.${key}`));
}

const STATUSES = ['запланировано', 'в работе', 'выполнено', 'не выполнено', 'отменено'];
const DEADLINES = [
  'сентябрь',
  'октябрь',
  'ноябрь',
  'декабрь',
  'март',
  'апрель-май',
  'в течение учебного года',
  'ежеквартально',
  'постоянно',
  'по мере необходимости',
  '15.11.2026',
];
const roadmapRow = fc.record({
  factor: fc.constantFrom(MOTIVATION, PARENTS),
  deadline: fc.constantFrom(...DEADLINES),
  status: fc.constantFrom(...STATUSES),
  day: fc.integer({ min: 0, max: 120 }),
});
const roadmapRows = fc
  .array(roadmapRow, { maxLength: 25 })
  .map((rows) =>
    rows.map((r, i): RawCell['value'][] => [
      String(i + 1),
      r.factor,
      'Задача',
      `Мероприятие ${i + 1}`,
      r.deadline,
      'Директор',
      'Отчёт',
      r.status,
      r.status === 'выполнено' ? new Date(Date.UTC(2026, 8, 1 + r.day)) : null,
    ]),
  );
const surveyRows = fc
  .array(fc.tuple(fc.nat(60), fc.nat(80)), { minLength: 0, maxLength: 5 })
  .map((pairs) =>
    pairs.map(([required, participated], i): RawCell['value'][] => [
      ['Руководитель', 'Заместители руководителя', 'Учителя', 'Обучающиеся', 'Родители'][i]!,
      required,
      participated,
    ]),
  );

describe('indicators, whatever the data', () => {
  it('keep shares in [0, 1], counts ≥ 0, and match their own schema', () => {
    fc.assert(
      fc.property(roadmapRows, surveyRows, (roadmap, survey) => {
        const a = withTab(withTab(schoolA, 'Дорожная карта', roadmap), 'Анкетирование', survey);
        const result = compute(registry, { 'a.xlsx': a, 'b.xlsx': schoolB });
        for (const [path, indicator] of indicatorsIn(result)) {
          if (typeof indicator.value !== 'number') continue;
          expect(indicator.value, path).toBeGreaterThanOrEqual(0);
          if (indicator.unit === 'share') expect(indicator.value, path).toBeLessThanOrEqual(1);
        }
        expect(rules.checkIndicators(result)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('sum municipalities into the region', () => {
    fc.assert(
      fc.property(roadmapRows, roadmapRows, (rowsA, rowsB) => {
        const result = compute(registry, {
          'a.xlsx': withTab(schoolA, 'Дорожная карта', rowsA),
          'b.xlsx': withTab(schoolB, 'Дорожная карта', rowsB),
        });
        const municipalities = Object.values(result.municipalities);
        const sum = (pick: (m: (typeof municipalities)[number]) => number | null | boolean) =>
          municipalities.reduce((total, m) => total + Number(pick(m) ?? 0), 0);
        expect(sum((m) => m.participants)).toBe(result.region.participants);
        expect(sum((m) => m.reported)).toBe(result.region.reported);
        expect(sum((m) => m.roadmap.total.value)).toBe(result.region.roadmap.total.value);
        expect(sum((m) => m.roadmap.done.value)).toBe(result.region.roadmap.done.value);
        expect(sum((m) => m.roadmap.overdue.value)).toBe(result.region.roadmap.overdue.value);
        expect(sum((m) => m.consultations.value)).toBe(result.region.consultations.value);
        expect(sum((m) => m.partnershipContracts.value)).toBe(result.region.partnershipContracts.value);
      }),
      { numRuns: 60 },
    );
  });

  it('never lower progress when a done measure is added', () => {
    fc.assert(
      fc.property(roadmapRows, fc.constantFrom(...DEADLINES), (rows, deadline) => {
        const before = compute(registry, { 'a.xlsx': withTab(schoolA, 'Дорожная карта', rows) }).schools['01-001']!;
        const added = [
          ...rows,
          [
            String(rows.length + 1),
            MOTIVATION,
            'Задача',
            'Ещё',
            deadline,
            'Директор',
            'Отчёт',
            'выполнено',
            new Date(Date.UTC(2026, 9, 1)),
          ],
        ];
        const after = compute(registry, { 'a.xlsx': withTab(schoolA, 'Дорожная карта', added) }).schools['01-001']!;
        expect(after.roadmap.progress.value!).toBeGreaterThanOrEqual(before.roadmap.progress.value ?? 0);
        expect(after.roadmap.done.value).toBe(before.roadmap.done.value! + 1);
      }),
      { numRuns: 60 },
    );
  });

  it('do not depend on the order of rows in any tab', () => {
    const shuffleTabs = (workbook: RawWorkbook, seed: number): RawWorkbook => ({
      ...workbook,
      tabs: workbook.tabs.map((t): RawTab => {
        if (t.name === 'Регион') return t;
        const [header, ...rows] = t.rows;
        const shuffled = [...rows];
        let state = seed + t.name.length;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (state * 1103515245 + 12345) % 2147483648;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        return { name: t.name, rows: [header!, ...shuffled] };
      }),
    });
    const original = compute(registry, { 'a.xlsx': schoolA, 'b.xlsx': schoolB });
    fc.assert(
      fc.property(fc.nat(), (seed) => {
        const shuffled = compute(shuffleTabs(registry, seed), {
          'a.xlsx': shuffleTabs(schoolA, seed + 1),
          'b.xlsx': shuffleTabs(schoolB, seed + 2),
        });
        expect(shuffled).toEqual(original);
      }),
      { numRuns: 40 },
    );
  });
});
