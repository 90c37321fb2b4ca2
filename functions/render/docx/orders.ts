import type { Paragraph, Table } from 'docx';
import type { lowResultsOrderView } from '../../core/documents/order-low-results-list.js';
import type { monitoringResultsOrderView } from '../../core/documents/order-monitoring-results.js';
import type { networkPartnershipOrderView } from '../../core/documents/order-network-partnership.js';
import type { planGraphOrderView } from '../../core/documents/order-plan-graph.js';
import type { workingGroupOrderView } from '../../core/documents/order-working-group.js';
import { BULLETS, cellText, columns, listItem, table, type Cell } from './blocks.js';
import {
  appendixSubheading,
  appendixText,
  appendixTitle,
  ORDER_LANDSCAPE_WIDTH,
  ORDER_WIDTH,
  type Appendix,
} from './order.js';

// The appendices of each draft order, from the same views as templates/order-*.hbs, with the
// column widths of order.css.

type WorkingGroupView = ReturnType<typeof workingGroupOrderView>;
type LowResultsView = ReturnType<typeof lowResultsOrderView>;
type PartnershipView = ReturnType<typeof networkPartnershipOrderView>;
type PlanGraphView = ReturnType<typeof planGraphOrderView>;
type MonitoringResultsView = ReturnType<typeof monitoringResultsOrderView>;

const CELL = 11;
const num = (value: string | number): Cell => ({ text: String(value), center: true });
const group = (text: string, span: number): Cell => ({
  text,
  columnSpan: span,
  bold: true,
  center: true,
  shaded: true,
});

export function workingGroupAppendices(view: WorkingGroupView): Appendix[] {
  return view.appendices.map((appendix) => ({
    number: appendix.appendixNumber,
    date: view.date,
    orderNumber: view.number,
    children: [
      appendixTitle(appendix.title),
      ...appendix.groups.flatMap((g) => [
        ...(appendix.showGroupHeadings ? [appendixSubheading(`${g.heading} (${g.countText})`)] : []),
        table(
          ['№ п/п', 'Фамилия, имя, отчество', 'Должность, место работы', 'Роль в рабочей группе'],
          g.members.map((m) => [num(m.index), m.fullName, m.position, m.role]),
          { widths: columns(ORDER_WIDTH, [14, 45, 0, 38]), size: CELL },
        ),
      ]),
    ],
  }));
}

export function lowResultsAppendices(view: LowResultsView): Appendix[] {
  const percent = [4, 12, 5, 16, 11, 11, 20, 9, 12];
  return [
    {
      number: '',
      date: view.date,
      orderNumber: view.number,
      landscape: true,
      children: [
        appendixTitle('Список общеобразовательных организаций, показывающих низкие образовательные результаты'),
        table(
          [
            '№ п/п',
            'Муниципалитет',
            'Код ОО',
            'Наименование ОО',
            'Категория',
            'Статус',
            'Основание',
            'Куратор',
            'Школа-партнёр',
          ],
          view.schools.map((s) => [
            num(s.index),
            s.municipality,
            s.code,
            s.name,
            s.category,
            s.status,
            s.basis,
            s.curator,
            s.partner,
          ]),
          { widths: percent.map((p) => (ORDER_LANDSCAPE_WIDTH * p) / 100), size: 10, headerSize: 9 },
        ),
        appendixText(view.categoryRule),
      ],
    },
  ];
}

export function partnershipAppendices(view: PartnershipView): Appendix[] {
  const rows = view.groups.flatMap((g) => [
    [group(g.heading, 5)],
    ...g.pairs.map((p) => [
      num(p.index),
      p.school,
      p.partner,
      `№\u00a0${p.contractNumber} от ${p.contractDate}`,
      p.directions,
    ]),
  ]);
  return [
    {
      number: '',
      date: view.date,
      orderNumber: view.number,
      children: [
        appendixTitle(view.appendixTitle),
        table(['№ п/п', 'Школа — участник проекта', 'Школа-партнёр', 'Договор', 'Направления сотрудничества'], rows, {
          widths: columns(ORDER_WIDTH, [14, 38, 38, 30, 0]),
          size: CELL,
        }),
      ],
    },
  ];
}

export function planGraphAppendices(view: PlanGraphView): Appendix[] {
  const rows = view.groups.flatMap((g) => [
    [group(g.heading, 5)],
    ...g.items.map((item): Cell[] => [
      num(item.number),
      {
        paragraphs: [
          cellText(item.activity, { size: CELL }),
          ...(item.description ? [cellText(item.description, { size: 10, italics: true })] : []),
        ],
      },
      { text: item.deadline },
      { text: item.responsible },
      { text: item.indicator },
    ]),
  ]);
  return [
    {
      number: '',
      // A plan-graph set out anew is the appendix of the amended order, «в редакции» this one.
      date: view.amend ? view.amendedOrder.date : view.date,
      orderNumber: view.amend ? view.amendedOrder.number : view.number,
      revision: view.amend ? { date: view.date, number: view.number } : undefined,
      children: [
        appendixTitle(view.appendixTitle),
        table(['№', 'Мероприятие', 'Сроки', 'Ответственный', 'Показатель результативности'], rows, {
          widths: columns(ORDER_WIDTH, [10, 48, 24, 30, 0]),
          size: CELL,
        }),
      ],
    },
  ];
}

/** `nextList` numbers the document's lists (each bulleted cell is a list of its own). */
export function monitoringResultsAppendices(view: MonitoringResultsView, nextList: () => number): Appendix[] {
  const report: (Paragraph | Table)[] = [
    appendixTitle(view.reportTitle),
    appendixText(`${view.regionName}: ${view.participantsText}.`),
    table(
      ['№ п/п', 'Показатель', 'Целевое значение', 'Фактическое значение', 'Отметка о достижении'],
      view.lines.map((l) => [num(l.index), l.label, l.target, l.value, { text: l.verdict, bold: l.missed }]),
      { widths: columns(ORDER_WIDTH, [14, 0, 28, 25, 28]), size: CELL },
    ),
    ...(view.planGraphText ? [appendixText(view.planGraphText)] : []),
    ...(view.municipalities.length
      ? [
          appendixSubheading('Показатели муниципалитетов'),
          table(
            [
              'Муниципалитет',
              'Школ-участников',
              'В эффективном режиме',
              'Полный комплект документов',
              'Выполнение дорожных карт',
              'Просрочено мероприятий',
            ],
            view.municipalities.map((m) => [
              m.name,
              num(m.participants),
              num(m.effectiveModeShare),
              num(m.documentsCompleteShare),
              num(m.progress),
              num(m.overdue),
            ]),
            { widths: columns(ORDER_WIDTH, [0, 24, 24, 24, 24, 24]), size: CELL, headerSize: 10 },
          ),
        ]
      : []),
  ];
  const appendices: Appendix[] = [
    { number: view.reportAppendixNumber, date: view.date, orderNumber: view.number, children: report },
  ];
  if (view.hasProblems) {
    const rows = view.problemGroups.flatMap((g) => [
      [group(g.heading, 4)],
      ...g.schools.map((s): Cell[] => {
        const list = nextList();
        return [
          num(s.index),
          { text: s.name },
          { text: s.curator },
          { paragraphs: s.problems.map((p) => listItem(p, BULLETS, list, { size: CELL, style: 'Normal' })) },
        ];
      }),
    ]);
    appendices.push({
      number: '2',
      date: view.date,
      orderNumber: view.number,
      children: [
        appendixTitle(view.problemsTitle),
        table(['№ п/п', 'Общеобразовательная организация', 'Куратор', 'Выявленные недостатки'], rows, {
          widths: columns(ORDER_WIDTH, [14, 46, 30, 0]),
          size: CELL,
        }),
        appendixText(`Срок устранения недостатков — до ${view.fixByText}`),
      ],
    });
  }
  return appendices;
}
