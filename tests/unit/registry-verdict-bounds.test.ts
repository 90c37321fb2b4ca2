/**
 * Issue 16's rule for the registry's tabs: a verdict fed by rows of «Работа кураторов», «Сетевое
 * партнёрство», «Удовлетворённость» or «Результаты оценочных процедур» that errors left out is
 * «достигнуто» / «не достигнуто» only if it holds whatever those rows held.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeIndicators } from '../../functions/core/compute-indicators.js';
import { verdictText } from '../../functions/core/documents/indicator-text.js';
import { areaIndicators, type AreaRows, type MonitoringIndicators } from '../../functions/core/indicators.js';
import {
  readRegistryWorkbook,
  readSchoolWorkbook,
  usableRows,
  type ParticipantReading,
} from '../../functions/core/read-workbook.js';
import { curatorWorkLeftOut } from '../../functions/core/registry-bounds.js';
import type { MonitoringSettings } from '../../functions/core/settings.js';
import type { CuratorWorkRow, NetworkPartnershipRow } from '../../functions/core/tab-types.generated.js';
import type { WorkbookContent } from '../../functions/core/workbook-sheets.js';
import { registryTabs, schoolA, schoolB } from '../support/fixture-region.js';
import { rawBook, rules } from '../support/workbook-content.js';

type Tabs = WorkbookContent['tabs'];
type Row = Record<string, unknown>;
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** The fixture region with some registry tabs given more rows, held to these targets (no plan-graph). */
function compute(
  extra: Partial<Record<keyof typeof registryTabs, Row[]>>,
  targets: Partial<MonitoringSettings['targets']> = {},
) {
  const tabs: Record<string, { rows: Row[] }> = { ...registryTabs, 'plan-graph': { rows: [] } };
  for (const [tab, rows] of Object.entries(extra)) tabs[tab] = { rows: [...tabs[tab]!.rows, ...rows] };
  const settings = { ...rules.settings, targets: { ...rules.settings.targets, ...targets } };
  const reg = readRegistryWorkbook(rawBook('реестр.xlsx', tabs as Tabs), rules.specs, settings);
  const workbooks = { 'a.xlsx': schoolA, 'b.xlsx': schoolB } as Record<string, typeof schoolA>;
  const participants: ParticipantReading[] = usableRows(reg, 'schools')
    .filter((r) => r.values.participant)
    .map((row) => {
      const raw = workbooks[row.values.workbook ?? ''];
      return raw
        ? { row, status: 'read', reading: readSchoolWorkbook(raw, rules.specs, settings, reg.schoolYear) }
        : { row, status: 'missing', reading: undefined };
    });
  const indicators: MonitoringIndicators = computeIndicators({
    registry: reg,
    participants,
    issues: reg.issues,
    asOf: '2026-11-20',
    stage: 'промежуточный',
    settings,
    recommendations: rules.recommendations,
  });
  return { indicators, reg };
}

const work = (date: unknown, kind: string, schoolCode: string | null = '01-001', municipalityCode?: string) => ({
  date,
  curator: 'Волкова А.С.',
  schoolCode,
  ...(municipalityCode ? { municipalityCode } : {}),
  kind,
  topic: 'Тема',
});
const leftOutText = (tab: string) => `не определено: 1 строка листа «${tab}» не прочитана`;

describe('rows left out of the registry', () => {
  it('«Работа кураторов»: a dropped row may add a consultation or a meeting unless its cells rule it out', () => {
    // 4 consultations and 1 meeting in the window; a row with an impossible date may be a fifth consultation.
    const open = compute({ 'curator-work': [work('31.09.2026', 'консультация')] }, { consultations: 5 }).indicators;
    expect(open.region.consultations).toMatchObject({ value: 4, met: null, bounds: { low: 4, high: 5 } });
    expect(open.region.consultations.undetermined).toEqual({
      reason: 'rows-left-out',
      rowsLeftOut: [{ tab: 'Работа кураторов', rows: 1 }],
    });
    expect(verdictText(open.region.consultations)).toBe(leftOutText('Работа кураторов'));
    // Not a meeting: that verdict stands.
    expect(open.region.meetings.met).toBe(false);
    // One row cannot make 6; a visit cannot be a consultation; nor can last year's row.
    expect(
      compute({ 'curator-work': [work('31.09.2026', 'консультация')] }, { consultations: 6 }).indicators.region
        .consultations.met,
    ).toBe(false);
    expect(
      compute({ 'curator-work': [work('31.09.2026', 'посещение')] }, { consultations: 5 }).indicators.region
        .consultations.met,
    ).toBe(false);
    expect(
      compute({ 'curator-work': [work(d('2026-05-12'), 'обход')] }, { meetings: 2 }).indicators.region.meetings.met,
    ).toBe(false);
    // An unknown kind in the window may be the second meeting.
    const kind = compute({ 'curator-work': [work(d('2026-10-20'), 'обход', null)] }, { meetings: 2 }).indicators;
    expect(kind.region.meetings).toMatchObject({ value: 1, met: null, bounds: { low: 1, high: 2 } });
    // 1 consultation is enough (≥ 1) whatever the dropped row held.
    expect(
      compute({ 'curator-work': [work('31.09.2026', 'консультация')] }, { consultations: 1 }).indicators.region
        .consultations,
    ).toMatchObject({ met: true, bounds: { low: 4, high: 5 } });
  });

  it("«Работа кураторов»: a dropped row counts for its school's municipality, else its «Код МО», else the region only", () => {
    const { reg } = compute({
      'curator-work': [
        work('31.09.2026', 'консультация', '02-001'),
        work('31.09.2026', 'совещание', null, 'МО-01'),
        work('31.09.2026', 'совещание', null),
      ],
    });
    const municipalityOf = new Map(usableRows(reg, 'schools').map((r) => [r.values.code, r.values.municipalityCode]));
    const codes = new Map([
      ['мо-01', 'МО-01'],
      ['мо-02', 'МО-02'],
    ]);
    const placed = curatorWorkLeftOut(reg, municipalityOf, codes).rows;
    expect(placed.map((r) => [r.mayBelongTo('МО-01'), r.mayBelongTo('МО-02')])).toEqual([
      [false, true],
      [true, false],
      [false, false],
    ]);
  });

  it('«Сетевое партнёрство»: a dropped contract counts unless its date, read, is outside the school year', () => {
    const contract = (contractNumber: string | null, contractDate: unknown) => ({
      schoolCode: '02-001',
      partnerSchoolCode: '02-002',
      contractNumber,
      contractDate,
      directions: 'методическая помощь',
    });
    // 2 contracts this year; a third with an impossible date could reach 3.
    const open = compute({ 'network-partnership': [contract('4', '31.09.2026')] }, { partnershipContracts: 3 })
      .indicators.region.partnershipContracts;
    expect(open).toMatchObject({ value: 2, met: null, bounds: { low: 2, high: 3 } });
    expect(verdictText(open)).toBe(leftOutText('Сетевое партнёрство'));
    // Without a number but dated last year: it cannot count.
    expect(
      compute({ 'network-partnership': [contract(null, d('2026-05-02'))] }, { partnershipContracts: 3 }).indicators
        .region.partnershipContracts.met,
    ).toBe(false);
  });

  it('«Удовлетворённость»: a dropped row of a participant bounds Σ satisfied / Σ surveyed', () => {
    const row = (schoolCode: string, surveyed: unknown, satisfied: unknown) => ({
      schoolCode,
      respondentGroup: 'Учителя',
      surveyed,
      satisfied,
    });
    // 31 of 40 = 77,5 % < 80 %; a dropped row of unknown size could lift it.
    const open = compute({ satisfaction: [row('01-002', 'много', 10)] }).indicators;
    expect(open.region.satisfaction).toMatchObject({ met: null, bounds: { low: 0, high: 1 } });
    expect(verdictText(open.region.satisfaction)).toBe(leftOutText('Удовлетворённость'));
    expect(open.municipalities['МО-01']!.satisfaction.met).toBeNull();
    // Not a row of the southern district's participant: nothing changes there.
    expect(open.municipalities['МО-02']!.satisfaction.undetermined).toBeUndefined();
    // 2 more surveyed cannot lift 31/40 to 80 % (33/42 = 78,6 %).
    const small = compute({ satisfaction: [row('01-002', 2, 'оба')] }).indicators.region.satisfaction;
    expect(small).toMatchObject({ met: false, bounds: { low: 31 / 42, high: 33 / 42 } });
    // A non-participant's row does not count at all.
    expect(
      compute({ satisfaction: [row('02-002', 'много', 10)] }).indicators.region.satisfaction.bounds,
    ).toBeUndefined();
  });

  it('«Результаты оценочных процедур»: a dropped row of the school in the compared years leaves the comparison open', () => {
    const result = (schoolCode: string, year: unknown, failed: unknown) => ({
      schoolCode,
      year,
      procedure: 'ВПР',
      grade: 5,
      subject: 'Русский язык',
      participants: 20,
      failed,
      good: 5,
    });
    // School А: «2» 20 % in 2026 against 25 % in 2025 — met; its mode is effective.
    const open = compute({ 'assessment-results': [result('01-001', 2026, 'много')] }).indicators;
    const a = open.schools['01-001']!;
    expect(a.results.failShare.met).toBeNull();
    expect(verdictText(a.results.failShare)).toBe(leftOutText('Результаты оценочных процедур'));
    expect(a.effectiveMode).toMatchObject({ value: null, undetermined: { reason: 'rows-left-out' } });
    expect(a.effectiveModeGaps).not.toContain('нет результатов двух лет для сравнения');
    // The region's share: А may or may not count among the 3 participants.
    expect(open.region.effectiveModeShare.bounds).toEqual({ low: 0, high: 1 / 3 });
    // Another school's row, or a year before the compared ones, or after the as-of year: verdict kept.
    for (const row of [result('02-002', 2026, 'много'), result('01-001', 2024, 'много'), result('01-001', 2027, 'x')]) {
      const kept = compute({ 'assessment-results': [row] }).indicators.schools['01-001']!;
      expect(kept.results.failShare.met).toBe(true);
      expect(kept.effectiveMode.value).toBe(true);
    }
  });
});

describe('counts of the registry whatever the left-out rows held (brute force)', () => {
  const KINDS: CuratorWorkRow['kind'][] = ['посещение', 'консультация', 'совещание', 'вебинар'];
  // Before the school year, inside the window, after the as-of date, later in the school year.
  const DATES = ['2026-05-10', '2026-10-01', '2026-11-25', '2027-03-01'];
  const asOf = '2026-11-20';
  const settingsWith = (consultations: number, meetings: number, partnershipContracts: number): MonitoringSettings => ({
    ...rules.settings,
    targets: { ...rules.settings.targets, consultations, meetings, partnershipContracts },
  });
  const workRow = (kind: CuratorWorkRow['kind'], date: string): CuratorWorkRow => ({
    date,
    curator: 'К',
    kind,
    topic: 'Т',
  });
  const contractRow = (contractDate: string): NetworkPartnershipRow =>
    ({ schoolCode: '01-001', partnerSchoolCode: '02-002', contractNumber: '1', contractDate }) as NetworkPartnershipRow;
  const counts = (rows: AreaRows, settings: MonitoringSettings) => {
    const area = areaIndicators([], rows, asOf, settings, 'region');
    return [area.consultations, area.meetings, area.partnershipContracts];
  };
  /**
   * Every way of filling the unknown cells of the left-out rows, each row also not counting at all
   * (its error may have been anything: the lower bound is the count of rows read).
   */
  function* completions<T>(rows: Partial<T>[], fill: (row: Partial<T>) => T[]): Generator<T[]> {
    if (rows.length === 0) {
      yield [];
      return;
    }
    for (const rest of completions(rows.slice(1), fill)) {
      yield rest;
      for (const first of fill(rows[0]!)) yield [first, ...rest];
    }
  }

  it('met is true or false only when every completion agrees, and null only when two disagree', () => {
    const kind = fc.option(fc.constantFrom(...KINDS), { nil: undefined });
    const date = fc.option(fc.constantFrom(...DATES), { nil: undefined });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.constantFrom(...DATES)), { maxLength: 6 }),
        fc.array(fc.record({ kind, date }), { maxLength: 3 }),
        fc.array(fc.constantFrom(...DATES), { maxLength: 4 }),
        fc.array(date, { maxLength: 3 }),
        fc.tuple(fc.nat(6), fc.nat(6), fc.nat(5)),
        (work, workOut, contracts, contractsOut, [c, m, p]) => {
          const settings = settingsWith(c, m, p);
          const usable = work.map(([k, dt]) => workRow(k, dt));
          const bounded = counts(
            {
              curatorWork: usable,
              partnerships: contracts.map(contractRow),
              satisfaction: [],
              leftOut: {
                curatorWork: { title: 'Работа кураторов', rows: workOut },
                partnerships: { title: 'Сетевое партнёрство', rows: contractsOut.map((dt) => ({ contractDate: dt })) },
                satisfaction: { title: 'Удовлетворённость', rows: [] },
              },
            },
            settings,
          );
          const seen = bounded.map(() => new Set<boolean | null | undefined>());
          const fillWork = (r: Partial<CuratorWorkRow>) =>
            (r.kind ? [r.kind] : KINDS).flatMap((k) => (r.date ? [r.date] : DATES).map((dt) => workRow(k, dt)));
          for (const filled of completions(workOut, fillWork))
            for (const signed of completions(
              contractsOut.map((dt) => ({ contractDate: dt })),
              (r: Partial<NetworkPartnershipRow>) => (r.contractDate ? [r.contractDate] : DATES).map(contractRow),
            )) {
              const full = counts(
                {
                  curatorWork: [...usable, ...filled],
                  partnerships: [...contracts.map(contractRow), ...signed],
                  satisfaction: [],
                },
                settings,
              );
              full.forEach((indicator, i) => seen[i]!.add(indicator.met));
            }
          bounded.forEach((indicator, i) => {
            if (indicator.met === null) {
              expect(seen[i]!.size).toBe(2);
              expect(indicator.undetermined?.reason).toBe('rows-left-out');
            } else expect([...seen[i]!]).toEqual([indicator.met]);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
