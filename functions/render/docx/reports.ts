import {
  AlignmentType,
  BorderStyle,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { areaReportView, schoolReportView, stageReportView } from '../../core/documents/reports.js';
import {
  BULLETS,
  cellText,
  columns,
  heading,
  listItem,
  mm,
  NUMBERED,
  para,
  plain,
  runs,
  section,
  table,
  type Cell,
  type DocumentStyle,
  type Margins,
} from './blocks.js';

// The analytic reports (templates/school-report.hbs, region-report.hbs, stage-report.hbs) from the
// same views: headings, paragraphs, lists and tables. The school report's chart is left out: the
// table under it holds the same numbers.

type SchoolView = ReturnType<typeof schoolReportView>;
type AreaView = ReturnType<typeof areaReportView>;
type StageView = ReturnType<typeof stageReportView>;

/** Report pages: margins 20/15/20/25 mm (report.css `@page`). */
const REPORT_MARGINS: Margins = { top: 20, right: 15, bottom: 20, left: 25 };
const WIDTH = 210 - REPORT_MARGINS.left - REPORT_MARGINS.right;

/** Report text: 12 pt, line height 1.35, left-aligned, no indent (common.css, report.css). */
export const REPORT_STYLE: DocumentStyle = {
  size: 12,
  lineHeight: 1.35,
  headings: [14, 12.5, 12],
  indent: 0,
  justify: false,
  after: 12,
};

const CELL = 10.5;
type Block = Paragraph | Table;
type IndicatorLine = SchoolView['summary'][number];

function reportSection(children: Block[]): ISectionOptions[] {
  return [section(children, { margins: REPORT_MARGINS, titlePage: true, pageNumberSize: 10 })];
}

/** Authority, title and subtitle at the head of page 1. */
function head(authority: string, title: string, subtitle: string): Block[] {
  return [
    plain(authority, { alignment: AlignmentType.CENTER, size: 11, spacing: { after: 280 } }),
    heading(title, 1),
    plain(subtitle, { alignment: AlignmentType.CENTER, spacing: { after: 280 } }),
  ];
}

/** The indicators' table (partials/indicator-table.hbs); missed targets in bold. */
function indicatorTable(lines: readonly IndicatorLine[], hasPrevious: boolean): Table {
  const header = ['Показатель', 'Значение', 'Цель', 'Итог', ...(hasPrevious ? ['Было', 'Изменение'] : [])];
  const rows = lines.map((l) =>
    [l.label, l.value, l.target, l.verdict, ...(hasPrevious ? [l.previous, l.change] : [])].map((text): Cell => ({
      text,
      bold: l.missed,
    })),
  );
  return table(header, rows, {
    widths: columns(WIDTH, hasPrevious ? [0, 20, 24, 26, 20, 24] : [0, 24, 28, 34]),
    size: CELL,
    headerAsColumns: true,
    align: ['left', 'right', 'right', 'left', 'right', 'right'],
  });
}

/** A list: numbered or bulleted, one Word list per call. */
function list(items: readonly string[], kind: 'numbered' | 'bullets', nextList: () => number): Paragraph[] {
  const instance = nextList();
  return items.map((item) => listItem(item, kind === 'numbered' ? NUMBERED : BULLETS, instance));
}

const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

/** Term and value in two columns, the term in bold (the school's `dl.facts`). */
function facts(pairs: [string, string][]): Table {
  const cell = (text: string, width: number, bold: boolean) =>
    new TableCell({ width: { size: mm(width), type: WidthType.DXA }, children: [plain(text, { bold })] });
  return new Table({
    width: { size: mm(WIDTH), type: WidthType.DXA },
    columnWidths: [mm(55), mm(WIDTH - 55)],
    borders: NO_BORDERS,
    margins: { top: 20, bottom: 20, left: 0, right: 160 },
    rows: pairs.map(
      ([term, value]) => new TableRow({ children: [cell(term, 55, true), cell(value, WIDTH - 55, false)] }),
    ),
  });
}

/** The road map's four numbers in boxes (`.kpis`). */
function kpis(items: [string, string][]): Table {
  const width = WIDTH / items.length;
  return new Table({
    width: { size: mm(WIDTH), type: WidthType.DXA },
    columnWidths: items.map(() => mm(width)),
    margins: { top: 80, bottom: 80, left: 120, right: 120 },
    rows: [
      new TableRow({
        children: items.map(
          ([value, label]) =>
            new TableCell({
              width: { size: mm(width), type: WidthType.DXA },
              children: [
                new Paragraph({ style: 'Normal', children: [new TextRun({ text: value, bold: true, size: 32 })] }),
                new Paragraph({ style: 'Normal', children: runs(label, { size: 9.5 }) }),
              ],
            }),
        ),
      }),
    ],
  });
}

const cellLines = (lines: (string | { text: string; muted: true })[]): Cell => ({
  paragraphs: lines.map((line) =>
    typeof line === 'string' ? cellText(line, { size: CELL }) : cellText(line.text, { size: CELL, italics: true }),
  ),
});

export function schoolReportSections(view: SchoolView, nextList: () => number): ISectionOptions[] {
  const { school, roadmap, dataQuality: dq } = view;
  const blocks: Block[] = [
    ...head(
      view.authority,
      view.title,
      `по результатам ${view.stageText} реализации проекта «500+»\n${school.name}\nпо состоянию на ${view.asOfText}, ${view.schoolYear} учебный год`,
    ),
    heading('1. Сведения о школе', 2),
    facts([
      ['Полное наименование', school.fullName],
      ['Код ОО', school.code],
      ['Муниципалитет', school.municipality],
      ['Категория', school.category],
      ...(view.list ? [['По итогам отбора', view.list.status] as [string, string]] : []),
      ['Куратор', school.curator],
    ]),
  ];
  if (view.list) {
    blocks.push(para(view.list.categoryRule), para('Итоги отбора:'), ...list(view.list.reasons, 'bullets', nextList));
  }
  blocks.push(heading('2. Показатели мониторинга', 2));
  if (view.hasPrevious) blocks.push(para(`«Было» — по данным ${view.previousText}.`));
  blocks.push(indicatorTable(view.summary, view.hasPrevious), heading('3. Рисковый профиль', 2));
  if (view.risks.chosen.length) {
    blocks.push(para('Факторы риска, выбранные для работы:'), ...list(view.risks.chosen, 'numbered', nextList));
    if (view.risks.verifiedText) blocks.push(para(view.risks.verifiedText));
  } else {
    blocks.push(para(`Факторы риска для работы не выбраны${view.hasData ? '' : ' (нет данных таблицы школы)'}.`));
  }
  blocks.push(heading('4. Документы', 2));
  if (view.documentsMissing.length) {
    blocks.push(
      para('Не разработаны или не согласованы с куратором:'),
      ...list(view.documentsMissing, 'bullets', nextList),
    );
  } else {
    blocks.push(
      para(
        view.hasData
          ? 'Концепция развития, среднесрочная программа развития и антирисковые программы по всем выбранным факторам согласованы.'
          : 'Нет данных таблицы школы.',
      ),
    );
  }
  blocks.push(heading('5. Выполнение дорожной карты', 2));
  if (view.hasData) {
    blocks.push(
      kpis([
        [roadmap.total, 'мероприятий в плане'],
        [roadmap.done, 'выполнено'],
        [roadmap.overdue, 'просрочено'],
        [roadmap.progress, 'выполнение плана'],
      ]),
    );
    if (roadmap.overdueItems.length) {
      blocks.push(
        heading('Просроченные мероприятия', 3),
        table(
          ['№', 'Мероприятие', 'Срок', 'Статус', 'Ответственный'],
          roadmap.overdueItems.map((i) => [
            i.number,
            i.activity,
            `${i.deadline} (до ${i.deadlineEnd})`,
            i.status,
            i.responsible,
          ]),
          { widths: columns(WIDTH, [12, 0, 34, 24, 34]), size: CELL },
        ),
      );
      if (roadmap.overdueNotListed) blocks.push(para(roadmap.overdueNotListed));
    } else {
      blocks.push(para('Просроченных мероприятий нет.'));
    }
  } else {
    blocks.push(para(`Данные о дорожной карте не получены: ${school.workbookStatus}.`));
  }
  blocks.push(heading('6. Результаты оценочных процедур', 2));
  if (view.results.length) {
    blocks.push(
      table(
        ['Год', 'Участников', 'Доля «2»', 'Доля «4» и «5»'],
        view.results.map((r) => [String(r.year), r.participants, r.failShare, r.qualityShare]),
        {
          widths: columns(WIDTH, [0, 35, 35, 40]),
          size: CELL,
          headerAsColumns: true,
          align: ['left', 'right', 'right', 'right'],
        },
      ),
    );
  } else {
    blocks.push(para('Результатов оценочных процедур в реестре нет.'));
  }
  blocks.push(heading('7. Эффективный режим работы', 2), para(view.effectiveMode.verdict));
  if (view.effectiveMode.listNote) blocks.push(para(view.effectiveMode.listNote));
  if (view.effectiveMode.gaps.length) {
    blocks.push(para('Что мешает:'), ...list(view.effectiveMode.gaps, 'bullets', nextList));
  }
  blocks.push(heading('8. Адресные рекомендации', 2), heading('Школе', 3));
  blocks.push(
    ...(view.recommendations.school.length
      ? list(view.recommendations.school, 'numbered', nextList)
      : [para('Замечаний нет: продолжать работу по дорожной карте.')]),
    heading('Куратору', 3),
    ...(view.recommendations.curator.length
      ? list(view.recommendations.curator, 'numbered', nextList)
      : [para('Продолжать сопровождение по плану.')]),
    heading('9. Качество данных', 2),
    para(
      `${dq.status}; ${dq.errors}, ${dq.warnings}${dq.whereListed ? ` (перечень — ${dq.whereListed})` : ''}.${dq.leftOut ? ` Не учтены из-за ошибок: ${dq.leftOut}.` : ''}`,
    ),
  );
  if (dq.findings.length) {
    blocks.push(
      table(
        ['Вид', 'Лист', 'Ячейка', 'Замечание'],
        dq.findings.map((f) => [f.severity, f.tab, f.cell, f.message]),
        { widths: columns(WIDTH, [30, 35, 18, 0]), size: CELL },
      ),
    );
    if (dq.notListed) blocks.push(para(dq.notListed));
  }
  return reportSection(blocks);
}

export function areaReportSections(view: AreaView): ISectionOptions[] {
  const blocks: Block[] = [
    ...head(
      `${view.authority}\n${view.areaAuthority}`,
      view.title,
      `по результатам ${view.stageText} реализации проекта «500+» ${view.areaText}\nпо состоянию на ${view.asOfText}, ${view.schoolYear} учебный год`,
    ),
    heading('1. Участники', 2),
    para(
      `В проекте ${view.participantsText}; ${view.reportedText}.${view.coordinatorText ? ` ${view.coordinatorText}` : ''}`,
    ),
    ...(view.notArrivedText ? [para(view.notArrivedText)] : []),
    heading(`2. Показатели${view.isRegion ? ' региона' : ' муниципалитета'}`, 2),
    indicatorTable(view.summary, view.hasPrevious),
  ];
  if (view.isRegion) {
    blocks.push(
      heading('3. По муниципалитетам', 2),
      table(
        ['Муниципалитет', 'Школ', 'В эффективном режиме', 'Документы', 'Выполнение дорожных карт', 'Просрочено'],
        view.municipalities.map((m) => [
          m.name,
          m.participants,
          m.effectiveModeShare,
          m.documentsCompleteShare,
          m.progress,
          m.overdue,
        ]),
        {
          widths: columns(WIDTH, [0, 18, 26, 24, 28, 24]),
          size: CELL,
          headerAsColumns: true,
          align: ['left', 'right', 'right', 'right', 'right', 'right'],
        },
      ),
    );
  }
  blocks.push(
    heading(`${view.isRegion ? '4' : '3'}. Рейтинг школ`, 2),
    table(
      [
        '№',
        'Школа',
        'Муниципалитет',
        'Эффективный режим',
        'Охват анкетирования',
        'Выполнение',
        'Просрочено',
        'Доля «2»',
      ],
      view.schools.map((s) => [
        String(s.rank),
        cellLines(s.note ? [s.name, { text: s.note, muted: true }] : [s.name]),
        s.municipality,
        s.effective,
        s.coverage,
        s.progress,
        s.overdue,
        s.failShare,
      ]),
      {
        widths: columns(WIDTH, [9, 0, 28, 20, 21, 20, 18, 16]),
        size: CELL,
        headerAsColumns: true,
        align: ['right', 'left', 'left', 'left', 'right', 'right', 'right', 'right'],
      },
    ),
  );
  if (view.isRegion) {
    blocks.push(
      heading('5. Исполнение плана-графика', 2),
      para(view.planGraph.totals),
      table(
        ['№', 'Мероприятие', 'Сроки', 'Статус', 'Показатель результативности', 'Факт', 'Итог'],
        view.planGraph.items.map((i) => [
          i.number,
          i.activity,
          cellLines(i.overdue ? [i.deadline, { text: i.overdue, muted: true }] : [i.deadline]),
          i.status,
          i.indicator,
          i.actual,
          i.verdict,
        ]),
        { widths: columns(WIDTH, [10, 0, 24, 20, 34, 18, 20]), size: CELL },
      ),
    );
  }
  return reportSection(blocks);
}

export function stageReportSections(view: StageView, nextList: () => number): ISectionOptions[] {
  const wasIs = view.hasPrevious ? ' (было / стало)' : '';
  const blocks: Block[] = [
    ...head(
      view.authority,
      view.title,
      `реализации проекта «500+» ${view.inRegionText}\nпо состоянию на ${view.asOfText}, ${view.schoolYear} учебный год`,
    ),
    heading('1. Показатели региона', 2),
    ...(view.notArrivedText ? [para(view.notArrivedText)] : []),
    para(
      view.hasPrevious
        ? `«Было» — по данным ${view.previousText}; «стало» — на дату этого мониторинга.`
        : 'Предыдущий этап для сравнения не задан: показаны значения на дату мониторинга.',
    ),
    indicatorTable(view.summary, view.hasPrevious),
    heading('2. Изменения', 2),
    ...(view.changes.length
      ? list(view.changes, 'bullets', nextList)
      : [
          para(
            view.hasPrevious
              ? 'Существенных изменений по сравнению с предыдущим этапом нет.'
              : 'Сравнение с предыдущим этапом не проводилось.',
          ),
        ]),
    heading(`3. По муниципалитетам${wasIs}`, 2),
    table(
      ['Муниципалитет', 'В эффективном режиме', 'Документы', 'Выполнение дорожных карт', 'Просрочено'],
      view.municipalities.map((m) => [m.name, m.effectiveModeShare, m.documentsCompleteShare, m.progress, m.overdue]),
      {
        widths: columns(WIDTH, [0, 30, 28, 30, 26]),
        size: CELL,
        headerAsColumns: true,
        align: ['left', 'right', 'right', 'right', 'right'],
      },
    ),
    heading(`4. По школам${wasIs}`, 2),
    table(
      ['Школа', 'Муниципалитет', 'Эффективный режим', 'Охват анкетирования', 'Выполнение', 'Просрочено'],
      view.schools.map((s) => [s.name, s.municipality, s.effective, s.coverage, s.progress, s.overdue]),
      {
        widths: columns(WIDTH, [0, 30, 24, 24, 22, 22]),
        size: CELL,
        headerAsColumns: true,
        align: ['left', 'left', 'left', 'right', 'right', 'right'],
      },
    ),
  ];
  return reportSection(blocks);
}
