import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChromiumPdfRenderer } from '../../functions/adapters/chromium-pdf-renderer.js';
import type { MonitoringIndicators, SchoolIndicators } from '../../functions/core/indicators.js';
import { schoolReportView } from '../../functions/core/report-views.js';
import { documentHtml } from '../../functions/render/document-html.js';
import { finalizePdf } from '../../functions/render/finalize-pdf.js';
import { normalizeSpaces, readPdf } from '../support/pdf-text.js';

const renderer = createChromiumPdfRenderer({ timeoutMs: 60_000 });
let server: Server;
let hits = 0;
let origin = '';

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await renderer.close();
  await new Promise((resolve) => server.close(resolve));
});

function school(name: string): SchoolIndicators {
  return {
    code: '56-001',
    name,
    municipalityCode: 'МО-01',
    category: 'ШНОР',
    curator: 'Петрова Анна Сергеевна',
    workbook: { status: 'read', name: 'schools/56-001.xlsx' },
    roadmap: {
      total: 12,
      done: 5,
      overdue: 1,
      progress: 5 / 12,
      overdueItems: [
        {
          number: '1.2',
          riskFactor: 'Низкая учебная мотивация обучающихся',
          activity: 'Педагогический совет «Учебная мотивация: причины и пути решения»',
          deadlineText: 'октябрь',
          deadlineEnd: '2026-10-31',
          status: 'в работе',
          responsible: 'Заместитель директора по УВР',
        },
      ],
    },
    errors: 1,
    warnings: 0,
    rowsLeftOut: [{ tab: 'Дорожная карта', rows: 1 }],
  };
}

function indicators(s: SchoolIndicators): MonitoringIndicators {
  return {
    asOf: '2026-11-20',
    stage: 'промежуточный',
    schoolYear: '2026/2027',
    region: {
      name: 'Оренбургская область',
      participants: 1,
      reported: 1,
      roadmap: { total: 12, done: 5, overdue: 1, progress: 5 / 12, schoolsWithOverdue: 1 },
    },
    municipalities: [],
    schools: [s],
  };
}

const facts = {
  region: { subject: 'Оренбургская область', educationAuthority: 'Министерство образования Оренбургской области' },
  municipalities: [
    {
      code: 'МО-01',
      name: 'Пономарёвский район',
      educationAuthority: 'Отдел образования',
      head: 'Иванов И.И.',
      coordinator: 'Сидорова С.С.',
    },
  ],
  schools: [],
};

describe('Chromium PDF renderer', () => {
  it('prints a school report whose text reads back, in the shipped serif', async () => {
    const s = school('МБОУ «Пономарёвская СОШ»');
    const html = documentHtml('school-report', schoolReportView(indicators(s), facts, s));
    const printed = await renderer.render(html);
    const { bytes, pages } = await finalizePdf(printed, {
      title: 'Справка',
      subject: 'тест',
      date: new Date('2026-11-20T00:00:00Z'),
    });
    const pdf = await readPdf(bytes);
    expect(pages).toBe(pdf.pages.length);
    expect(pdf.text).toContain('МБОУ «Пономарёвская СОШ»');
    expect(pdf.text).toContain('20 ноября 2026 г.');
    expect(pdf.text).toContain('41,7 %');
    expect(pdf.text).toContain('Педагогический совет «Учебная мотивация: причины и пути решения»');
    expect(pdf.text).toContain('не учтены из-за ошибок: «Дорожная карта» — 1 строка');
    expect(pdf.fontNames.some((name) => /PTSerif|PT ?Serif/i.test(name))).toBe(true);
  });

  it('shows markup in data as text and fetches nothing from the network', async () => {
    const hostile = `<img src="${origin}/leak.png"><script>document.title='x'</script>«Школа»`;
    const s = school(hostile);
    const html = documentHtml('school-report', schoolReportView(indicators(s), facts, s));
    expect(html).not.toContain(`<img src="${origin}`);
    const pdf = await readPdf(await renderer.render(html));
    expect(normalizeSpaces(pdf.text)).toContain(normalizeSpaces(hostile));
    // Even a template that let markup through could not reach out: the renderer refuses all requests.
    await renderer.render(
      `<html><body><img src="${origin}/direct.png"><link rel="stylesheet" href="${origin}/x.css">Текст</body></html>`,
    );
    expect(hits).toBe(0);
  });
});
