import { describe, expect, it } from 'vitest';
import { documentCatalogue } from '../../functions/core/documents/catalogue.js';
import { runIndexView } from '../../functions/core/documents/dashboard.js';
import { areaReportView, stageReportView } from '../../functions/core/documents/reports.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { fixtureIndicators, fixtureModel, registryTabs } from '../support/fixture-region.js';
import { facts } from '../support/order-facts.js';
import { quoteNesting } from '../support/proofreading.js';
import { rawBook } from '../support/workbook-content.js';

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const meeting = (date: string, schoolCode: string | null, municipalityCode: string | null, topic: string) => ({
  date: d(date),
  curator: 'Волкова А.С.',
  schoolCode,
  municipalityCode,
  kind: 'совещание',
  topic,
});

/** The fixture registry with meetings said to be a municipality's: by «Код МО», or by the school's code. */
const withMunicipalMeetings = rawBook('реестр.xlsx', {
  ...registryTabs,
  'curator-work': {
    rows: [
      ...registryTabs['curator-work'].rows,
      meeting('2026-10-20', null, 'МО-02', 'Совещание с директорами Южного района'),
      meeting('2026-10-21', '02-001', null, 'Совещание в школе В'),
      meeting('2026-10-22', null, ' мо-01 ', 'Совещание Северного района (код набран строчными)'),
    ],
  },
});

describe('municipal facts in the municipal report', () => {
  it('counts a meeting for the municipality its «Код МО» or its school names, and every meeting for the region', () => {
    const indicators = fixtureIndicators('2026-11-20', 'промежуточный', withMunicipalMeetings);
    expect(indicators.municipalities['МО-01']?.meetings.value).toBe(1);
    expect(indicators.municipalities['МО-02']?.meetings.value).toBe(2);
    // The fixture's own meeting names neither a school nor a municipality: the region's only.
    expect(indicators.region.meetings.value).toBe(4);
    const report = areaReportView(indicators, facts, 'МО-02');
    expect(report.summary.find((l) => l.label === 'Рабочих совещаний')?.value).toBe('2');
  });

  it('counts a meeting of a workbook without the «Код МО» column for the region only', () => {
    const indicators = fixtureIndicators();
    expect(indicators.municipalities['МО-01']?.meetings.value).toBe(0);
    expect(indicators.municipalities['МО-02']?.meetings.value).toBe(0);
    expect(indicators.region.meetings.value).toBe(1);
  });

  it('names the municipal coordinator in the municipal report and the regional one in the region’s', () => {
    const indicators = fixtureIndicators();
    expect(areaReportView(indicators, facts, 'МО-01').coordinatorText).toBe(
      'Муниципальный координатор проекта — Сидорова С.С.',
    );
    expect(areaReportView(indicators, facts, 'МО-02').coordinatorText).toBe(
      'Муниципальный координатор проекта — Орлова О.О.',
    );
    expect(areaReportView(indicators, facts, undefined).coordinatorText).toBe(
      'Региональный координатор проекта — ГАУ ДПО «Институт развития образования».',
    );
    const html = documentHtml('region-report', areaReportView(indicators, facts, 'МО-01'));
    expect(html).toContain('Муниципальный координатор проекта — Сидорова С.С.');
  });
});

describe('Russian of the reports and the index page', () => {
  const indicators = fixtureIndicators();

  it('names the region in the prepositional case, and the municipality with the region in the genitive', () => {
    expect(areaReportView(indicators, facts, undefined).areaText).toBe('в Условной области');
    expect(areaReportView(indicators, facts, 'МО-01').areaText).toBe(
      'в муниципальном образовании «Северный район» Условной области',
    );
    expect(documentHtml('stage-report', stageReportView(indicators, facts))).toContain(
      'реализации проекта «500+» в Условной области',
    );
  });

  it('says who sent their tables in the natural order of words', () => {
    const view = areaReportView(indicators, facts, undefined);
    expect(`В проекте ${view.participantsText}; ${view.reportedText}.`).toBe(
      'В проекте 3 школы-участника; 2 школы представили таблицы мониторинга.',
    );
    expect(areaReportView(indicators, facts, 'МО-02').reportedText).toBe(
      'таблицы мониторинга не представила ни одна школа',
    );
  });

  it('nests quotes in the titles and labels of the documents: „…“ inside «…»', () => {
    const documents = documentCatalogue(fixtureModel());
    const orderTitles = documents.filter((d) => d.qr).map((d) => d.title);
    expect(orderTitles).toContain(
      'Проект приказа «Об итогах мониторинга реализации проекта „500+“ (промежуточный этап)»',
    );
    for (const text of documents.flatMap((d) => [d.title, d.label])) expect(quoteNesting(text), text).toEqual([]);
  });

  it('gives the stage adjective in agreement on the index page', () => {
    const view = runIndexView(indicators, [], []);
    expect(view.subtitle).toMatch(/^Промежуточный мониторинг по состоянию на 20 ноября 2026/);
  });

  it('sends a school to the «Проверка» tab of its own table (a run over Google Sheets), not to a file it never receives', () => {
    const reports = documentCatalogue(fixtureModel('2026-11-20', 'промежуточный', true)).filter(
      (d) => d.kind === 'school-report',
    );
    const read = Object.values(indicators.schools).find((s) => s.workbook.status === 'read' && s.errors > 0)!;
    const report = reports.find((d) => d.scope.level === 'school' && d.scope.code === read.code)!;
    const html = documentHtml('school-report', report.view);
    expect(html).toContain('на листе «Проверка» таблицы школы');
    expect(html).not.toContain('validation.json');
    expect(html).toMatch(/<p>Таблица школы прочитана; /);
  });
});
