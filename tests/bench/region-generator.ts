/**
 * Synthetic regions of any size that follow the data contract (schemas/tabs): a registry workbook
 * and one workbook per participant school, as raw cells — the shape both adapters (.xlsx, Google
 * Sheets) hand to the core — and, for the read stage, written as .xlsx. Both come from the one
 * workbook builder (core/workbook-sheets.ts): rows are given by schema field, headers and tab order
 * come from the schemas.
 *
 * Deterministic (seeded PRNG): the same size and seed give the same workbooks. A small share of
 * rows carries the mistakes people really make (a word where a number goes, an unknown list value,
 * a deadline in words nobody can date), so the validation's error paths are measured too.
 *
 * The identification input of a national scale (tens of thousands of schools) is generated
 * separately as typed rows: it is what identifySchools receives after validation.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeXlsx } from '../../functions/adapters/xlsx/workbook-writer.js';
import type { RawWorkbook } from '../../functions/core/raw-workbook.js';
import type { TabId } from '../../functions/core/tab-specs.js';
import type { AssessmentResultsRow, ContextDataRow, SchoolsRow } from '../../functions/core/tab-types.generated.js';
import {
  rawWorkbook,
  workbookSheets,
  type CellInput,
  type TabContent,
  type WorkbookSheets,
} from '../../functions/core/workbook-sheets.js';
import { CONDITIONAL_REGION } from '../support/workbook-content.js';
import { schoolTabs } from './school-tabs.js';
import {
  autumnDay,
  DEADLINES,
  DISTRICTS,
  municipalityCode,
  personName,
  pick,
  PLAN_DIRECTIONS,
  PLAN_STATUSES,
  PLAN_TARGETS,
  prng,
  RESULT_YEARS,
  rules,
  schoolCode,
  SUBJECTS,
  VILLAGES,
} from './synthetic-values.js';

/** How big a region to make. */
export interface RegionSize {
  /** Schools in the registry («Школы»), participants included. */
  schools: number;
  /** Participant schools, each with its own workbook. */
  participants: number;
  /** Rows of «Результаты оценочных процедур» per school (over three years). */
  resultsPerSchool: number;
  /** Share of data rows with one planted mistake (0–1). */
  errorRate: number;
  seed: number;
}

export const DEFAULT_REGION: RegionSize = {
  schools: 1500,
  participants: 500,
  resultsPerSchool: 30,
  errorRate: 0.005,
  seed: 500,
};

/** A generated region: raw workbooks by the name the registry gives them. */
export interface GeneratedRegion {
  registry: RawWorkbook;
  /** School workbooks by their «Таблица школы» reference (a path relative to the registry). */
  schoolWorkbooks: Map<string, RawWorkbook>;
  /** Data rows (header rows not counted) of the registry and of all school workbooks. */
  rows: { registry: number; schools: number };
  /** Rows with a planted mistake. */
  planted: number;
  /** The same workbooks laid out for the .xlsx writer. */
  sheets: { registry: WorkbookSheets; schools: Map<string, WorkbookSheets> };
}

/** The as-of date and school year the synthetic data are dated for. */
export const AS_OF = '2026-11-20';
const SCHOOL_YEAR = '2026/2027';
interface PlannedSchool {
  code: string;
  municipality: number;
  participant: boolean;
  rural: boolean;
  workbook: string | undefined;
}

type Tabs = Partial<Record<TabId, TabContent>>;

/** A region of `size`: registry plus every participant's workbook, as raw cells. */
export function generateRegion(size: RegionSize = DEFAULT_REGION): GeneratedRegion {
  if (size.participants > size.schools) throw new Error('participants cannot outnumber the schools of the registry');
  const random = prng(size.seed);
  let planted = 0;
  /** True for about errorRate of the calls: this row gets a mistake. */
  const mistake = () => {
    const yes = random() < size.errorRate;
    if (yes) planted++;
    return yes;
  };
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const municipalityCount = Math.max(1, Math.round(size.schools / 40));
  // Participants spread evenly over the registry: every (schools / participants)-th school.
  const every = size.schools / Math.max(1, size.participants);
  const schools: PlannedSchool[] = Array.from({ length: size.schools }, (_, i) => {
    const participant = size.participants > 0 && Math.floor(i / every) !== Math.floor((i - 1) / every);
    const municipality = i % municipalityCount;
    const code = schoolCode(municipality, i);
    return {
      code,
      municipality,
      participant,
      rural: i % 3 !== 0,
      workbook: participant ? `schools/${code}.xlsx` : undefined,
    };
  });
  const participants = schools.filter((s) => s.participant);
  const nonParticipants = schools.filter((s) => !s.participant);
  const partnerOf = (k: number) => pick(nonParticipants.length ? nonParticipants : schools, k * 7).code;
  const municipalities = Array.from({ length: municipalityCount }, (_, m) => m);

  const percent = (value: number, k: number): CellInput =>
    k % 3 === 0
      ? { percent: value / 100, format: '0.0%' }
      : k % 3 === 1
        ? value
        : `${String(value).replace('.', ',')} %`;
  const tabs: Tabs = {
    region: { rows: [{ ...CONDITIONAL_REGION, schoolYear: SCHOOL_YEAR }] },
    municipalities: {
      rows: municipalities.map((m) => {
        const district = `${pick(DISTRICTS, m)}${m >= DISTRICTS.length ? `-${Math.floor(m / DISTRICTS.length) + 1}` : ''}`;
        return {
          code: municipalityCode(m),
          name: `${district} район`,
          educationAuthority: `Отдел образования администрации района «${district}»`,
          head: personName(m),
          coordinator: personName(m + 3),
        };
      }),
    },
    schools: {
      rows: schools.map((s, i) => {
        const village = pick(VILLAGES, i);
        const bad = s.participant && mistake();
        return {
          code: s.code,
          name: s.rural ? `МБОУ «СОШ №\u00a0${i + 1} с.\u00a0${village}»` : `МАОУ «Лицей №\u00a0${i + 1}»`,
          fullName: s.rural
            ? `Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №\u00a0${i + 1} с.\u00a0${village}»`
            : null,
          municipalityCode: municipalityCode(s.municipality),
          locality: s.rural ? 'сельская' : 'городская',
          participant: s.participant ? 'да' : 'нет',
          category: s.participant ? pick(['ШНОР', 'ШФНСУ', 'ШНОР и ШФНСУ'], i) : null,
          cluster: s.participant ? `Кластер ${(i % 5) + 1}` : null,
          curator: s.participant ? personName(i) : null,
          partnerSchoolCode: s.participant ? partnerOf(i) : null,
          workbook: s.workbook,
          // A year in words is a planted mistake: «Год включения» is a whole number.
          yearJoined: s.participant ? (bad ? 'двадцать пятый' : pick([2024, 2025, 2026], i)) : null,
        };
      }),
    },
    'working-group': {
      rows: [
        { fullName: 'Иванова Мария Петровна', position: 'Министр образования', role: 'руководитель' },
        { fullName: 'Петров Павел Петрович', position: 'Заместитель министра', role: 'заместитель руководителя' },
        { fullName: 'Орлова Ольга Николаевна', position: 'Методист ИРО', role: 'секретарь' },
        ...municipalities.map((m) => ({
          fullName: personName(m + 11),
          position: 'Начальник отдела образования',
          role: 'член рабочей группы',
          municipalityCode: municipalityCode(m),
        })),
      ],
    },
    'network-partnership': {
      rows: participants.map((s, k) => ({
        schoolCode: s.code,
        partnerSchoolCode: partnerOf(k),
        contractNumber: `СП-${k + 1}`,
        contractDate: autumnDay(k, k),
        directions: 'методическая помощь, открытые уроки',
      })),
    },
    'plan-graph': {
      rows: Array.from({ length: 30 }, (_, k) => {
        const [indicator, actual] = pick(PLAN_TARGETS, k);
        return {
          number: String(k + 1),
          direction: pick(PLAN_DIRECTIONS, k),
          activity: `Мероприятие плана-графика ${k + 1}`,
          description: k % 2 ? 'Для всех школ-участников' : null,
          deadline: pick(DEADLINES, k),
          responsible: 'ГАУ ДПО ИРО',
          indicator,
          actualValue: actual,
          status: pick(PLAN_STATUSES, k),
          evidence: k % 3 === 0 ? `https://iro.example.ru/plan/${k + 1}` : null,
        };
      }),
    },
    'curator-work': {
      rows: participants.flatMap((s, k) =>
        Array.from({ length: 12 }, (_, j) => {
          const kind = pick(['посещение', 'консультация', 'консультация', 'совещание', 'вебинар'], k + j);
          const meeting = kind === 'совещание' || kind === 'вебинар';
          return {
            date: autumnDay(j, k + j * 3),
            curator: personName(k),
            schoolCode: meeting && j % 2 ? null : s.code,
            kind: mistake() ? 'звонок' : kind,
            topic: `Тема встречи ${j + 1}`,
            result: j % 4 ? 'Даны рекомендации' : null,
          };
        }),
      ),
    },
    'assessment-results': {
      rows: schools.flatMap((s) => {
        // A school's own level of «2», so that the worst schools are the same ones year to year.
        const weak = random() * 0.3;
        return Array.from({ length: size.resultsPerSchool }, (_, j) => {
          const procedure = pick(['ВПР', 'ВПР', 'ВПР', 'ОГЭ', 'ЕГЭ'], Math.floor(j / 3));
          const participantsCount = int(8, 60);
          const failed = Math.min(participantsCount, Math.round(participantsCount * weak * (0.6 + random() * 0.8)));
          const good = Math.floor((participantsCount - failed) * random() * 0.7);
          return {
            schoolCode: s.code,
            year: pick(RESULT_YEARS, j),
            procedure,
            grade: procedure === 'ОГЭ' ? 9 : procedure === 'ЕГЭ' ? 11 : 4 + (Math.floor(j / 3) % 5),
            subject: pick(SUBJECTS, j),
            participants: participantsCount,
            // More «2» than participants: a planted mistake.
            failed: mistake() ? participantsCount + 5 : failed,
            good,
            averageScore: j % 2 ? `${int(2, 4)},${int(0, 9)}` : null,
          };
        });
      }),
    },
    'context-data': {
      rows: schools.flatMap((s, k) =>
        [2025, 2026].map((year, j) => ({
          schoolCode: s.code,
          year,
          students: int(40, 900),
          teachers: int(5, 60),
          // Skewed towards the low end: a minority of schools cross each threshold of config/monitoring.json.
          vacancies: Math.floor(random() ** 4 * 6),
          lowIncomePercent: percent(Math.round(random() ** 3 * 45), k + j),
          disabilitiesPercent: percent(Math.round(random() ** 3 * 25), k + j + 1),
          nonNativeRussianPercent: percent(mistake() ? 140 : Math.round(random() ** 4 * 35), k + j + 2),
        })),
      ),
    },
    satisfaction: {
      rows: participants.flatMap((s) =>
        ['Родители', 'Обучающиеся', 'Учителя'].map((group) => {
          const surveyed = int(10, 120);
          return {
            schoolCode: s.code,
            respondentGroup: group,
            surveyed,
            satisfied: Math.floor(surveyed * (0.5 + random() * 0.5)),
          };
        }),
      ),
    },
  };

  const registrySheets = workbookSheets(rules.specs, { name: 'registry.xlsx', tabs, created: AS_OF });
  const sheets = { registry: registrySheets, schools: new Map<string, WorkbookSheets>() };
  const schoolWorkbooks = new Map<string, RawWorkbook>();
  let schoolRows = 0;
  for (const [k, s] of participants.entries()) {
    const name = s.workbook ?? `${s.code}.xlsx`;
    const laidOut = workbookSheets(rules.specs, { name, tabs: schoolTabs(k, random, mistake), created: AS_OF });
    const workbook = rawWorkbook(laidOut);
    schoolRows += dataRows(workbook);
    sheets.schools.set(name, laidOut);
    schoolWorkbooks.set(name, workbook);
  }
  const registry = rawWorkbook(registrySheets);
  return { registry, schoolWorkbooks, rows: { registry: dataRows(registry), schools: schoolRows }, planted, sheets };
}

/** Data rows of a workbook: all rows but the header (key-value «Регион»: its parameters). */
export function dataRows(workbook: RawWorkbook): number {
  return workbook.tabs.reduce((sum, t) => sum + Math.max(0, t.rows.length - 1), 0);
}

/** Writes the region as .xlsx files under `dir`: registry.xlsx and schools/<Код ОО>.xlsx. */
export async function writeRegion(region: GeneratedRegion, dir: string): Promise<{ registryPath: string }> {
  await mkdir(path.join(dir, 'schools'), { recursive: true });
  const registryPath = path.join(dir, region.registry.name);
  await writeXlsx(region.sheets.registry, registryPath);
  for (const [reference, workbook] of region.sheets.schools) await writeXlsx(workbook, path.join(dir, reference));
  return { registryPath };
}

/** The identification input at a national scale: `schools` schools, `resultsPerSchool` result rows each. */
export function identificationInput(
  schools: number,
  resultsPerSchool: number,
  seed = 40_000,
): { schools: SchoolsRow[]; results: AssessmentResultsRow[]; context: ContextDataRow[] } {
  const random = prng(seed);
  const municipalities = Math.max(1, Math.round(schools / 40));
  const schoolRows: SchoolsRow[] = [];
  const results: AssessmentResultsRow[] = [];
  const context: ContextDataRow[] = [];
  for (let i = 0; i < schools; i++) {
    const m = i % municipalities;
    const code = schoolCode(m, i);
    const rural = i % 10 < 3;
    schoolRows.push({
      code,
      name: rural ? `МБОУ «СОШ №\u00a0${i + 1} с.\u00a0${pick(VILLAGES, i)}»` : `МАОУ «Лицей №\u00a0${i + 1}»`,
      municipalityCode: municipalityCode(m),
      locality: rural ? 'сельская' : 'городская',
      participant: i % 10 === 0,
    });
    const weak = random() * 0.3;
    for (let j = 0; j < resultsPerSchool; j++) {
      const participants = 8 + Math.floor(random() * 53);
      const failed = Math.min(participants, Math.round(participants * weak * (0.6 + random() * 0.8)));
      results.push({
        schoolCode: code,
        year: pick(RESULT_YEARS, j),
        procedure: 'ВПР',
        grade: 4 + (Math.floor(j / 3) % 5),
        subject: pick(SUBJECTS, j),
        participants,
        failed,
        good: Math.floor((participants - failed) * random() * 0.7),
      });
    }
    for (const year of [2025, 2026]) {
      context.push({
        schoolCode: code,
        year,
        students: 40 + Math.floor(random() * 860),
        teachers: 5 + Math.floor(random() * 55),
        // Skewed towards the low end: a minority of schools cross each threshold of config/monitoring.json.
        vacancies: Math.floor(random() ** 4 * 6),
        lowIncomePercent: Math.round(random() ** 3 * 45),
        disabilitiesPercent: Math.round(random() ** 3 * 25),
        nonNativeRussianPercent: Math.round(random() ** 4 * 35),
      });
    }
  }
  return { schools: schoolRows, results, context };
}
