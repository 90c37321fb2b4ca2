/** The workbook of one participant school of a synthetic region (bench/region-generator.ts), by schema field. */
import type { TabId } from '../../functions/core/tab-specs.js';
import type { CellInput, TabContent } from '../../functions/core/workbook-sheets.js';
import {
  autumnDay,
  DEADLINES,
  DOC_STATUSES,
  EVENT_FORMS,
  pick,
  RESPONDENTS,
  RISK_FACTORS,
} from './synthetic-values.js';

/** The tabs of participant k's workbook; `mistake()` says when a row gets a planted mistake. */
export function schoolTabs(
  k: number,
  random: () => number,
  mistake: () => boolean,
): Partial<Record<TabId, TabContent>> {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const chosen = Array.from({ length: 1 + (k % 3) }, (_, j) => pick(RISK_FACTORS, k + j * 3));
  const document = (name: string, status: string, date: CellInput = null, link: string | null = null) => ({
    document: name,
    status,
    date,
    link,
  });
  return {
    survey: {
      rows: RESPONDENTS.map((group) => {
        const required = int(1, 80);
        const participated = mistake() ? 'все' : Math.min(required + 3, int(Math.floor(required / 2), required + 3));
        return { respondentGroup: group, required, participated };
      }),
    },
    'risk-profile': {
      rows: RISK_FACTORS.map((factor, j) => ({
        riskFactor: factor,
        level: chosen.includes(factor) ? 'высокий' : pick(['средний', 'низкий'], j + k),
        chosen: chosen.includes(factor) ? 'да' : 'нет',
        verified: chosen.includes(factor) && (k + j) % 4 !== 0 ? 'да' : 'нет',
      })),
    },
    documents: {
      rows: [
        document(
          'Концепция развития',
          pick(DOC_STATUSES, k),
          { date: '2026-09-15' },
          `https://school.example.ru/${k}/concept`,
        ),
        document('Среднесрочная программа развития', pick(DOC_STATUSES, k + 1)),
        ...chosen.map((factor, j) => ({
          ...document('Антирисковая программа', pick(DOC_STATUSES, k + j + 2), { date: '2026-10-01' }),
          riskFactor: factor,
        })),
        document('Аналитическая справка по повышению квалификации', pick(DOC_STATUSES, k + 2)),
        document('Аналитическая справка по ВСОКО', pick(DOC_STATUSES, k + 3)),
        document('Аналитическая справка по ООП', mistake() ? 'почти готово' : pick(DOC_STATUSES, k)),
      ],
    },
    roadmap: {
      rows: Array.from({ length: 8 + (k % 17) }, (_, j) => {
        const status = pick(['выполнено', 'в работе', 'запланировано', 'выполнено', 'не выполнено', 'отменено'], k + j);
        const done = status === 'выполнено';
        return {
          number: `${Math.floor(j / 3) + 1}.${(j % 3) + 1}`,
          riskFactor: pick(chosen, j),
          task: `Задача ${Math.floor(j / 3) + 1}`,
          activity: `Мероприятие ${j + 1} по снижению риска`,
          deadline: mistake() ? 'когда получится' : pick(DEADLINES, k + j),
          responsible: pick(['Директор', 'Заместитель директора по УВР', 'Руководитель МО учителей'], j),
          expectedResult: 'Протокол, отчёт',
          status,
          completedOn: done ? autumnDay(j, k + j) : null,
          evidence: done && j % 2 ? `https://school.example.ru/${k}/roadmap/${j + 1}` : null,
        };
      }),
    },
    'professional-development': {
      rows: Array.from({ length: 3 + (k % 8) }, (_, j) => ({
        programme: `Программа повышения квалификации ${j + 1}`,
        hours: pick([16, 24, 36, 72], k + j),
        audience: pick(['руководитель', 'заместитель руководителя', 'учитель', 'учитель', 'иной работник'], j),
        listeners: mistake() ? 0 : int(1, 12),
        finishedOn: autumnDay(j, k * 3 + j),
      })),
    },
    events: {
      rows: Array.from({ length: 3 + (k % 6) }, (_, j) => ({
        date: autumnDay(j, k + 5 * j),
        topic: `Мероприятие школы ${j + 1}`,
        form: pick(EVENT_FORMS, k + j),
        hours: j % 2 ? '1,5' : pick([2, 4, 6], j),
        participants: int(5, 60),
      })),
    },
  };
}
