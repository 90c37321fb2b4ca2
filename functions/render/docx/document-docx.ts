import type { DocumentKind } from '../../core/documents/catalogue.js';
import type { OrderView } from '../../core/documents/order-head.js';
import type { lowResultsOrderView } from '../../core/documents/order-low-results-list.js';
import type { monitoringResultsOrderView } from '../../core/documents/order-monitoring-results.js';
import type { networkPartnershipOrderView } from '../../core/documents/order-network-partnership.js';
import type { planGraphOrderView } from '../../core/documents/order-plan-graph.js';
import type { workingGroupOrderView } from '../../core/documents/order-working-group.js';
import type { areaReportView, schoolReportView, stageReportView } from '../../core/documents/reports.js';
import { document, pack } from './blocks.js';
import { orderSections, ORDER_STYLE, type Appendix, type QrImage } from './order.js';
import {
  lowResultsAppendices,
  monitoringResultsAppendices,
  partnershipAppendices,
  planGraphAppendices,
  workingGroupAppendices,
} from './orders.js';
import { areaReportSections, REPORT_STYLE, schoolReportSections, stageReportSections } from './reports.js';

/** What the twin's package states besides its content: the PDF's title and subject, the run's date. */
export interface DocxProperties {
  title: string;
  subject: string;
  date: Date;
}

/** The kinds that have an editable twin: every document a run prints but the run's index page. */
export type TwinKind = Exclude<DocumentKind, 'run-index'>;

/**
 * The editable .docx twin of a printed document, from the same view its template fills: the same
 * view and properties give the same bytes. Orders carry the QR code of requisite 31 when `qr` is
 * given.
 */
export async function documentDocx(
  kind: TwinKind,
  view: object,
  properties: DocxProperties,
  qr?: QrImage,
): Promise<Uint8Array> {
  // Lists are numbered per document, so the same view always gives the same numbering.
  let lists = 0;
  const nextList = () => ++lists;
  const order = (appendices: (v: never) => Appendix[]) =>
    document(properties, ORDER_STYLE, orderSections(view as OrderView, appendices(view as never), qr));
  const made = {
    'school-report': () =>
      document(properties, REPORT_STYLE, schoolReportSections(view as ReturnType<typeof schoolReportView>, nextList)),
    'region-report': () =>
      document(properties, REPORT_STYLE, areaReportSections(view as ReturnType<typeof areaReportView>)),
    'stage-report': () =>
      document(properties, REPORT_STYLE, stageReportSections(view as ReturnType<typeof stageReportView>, nextList)),
    'order-low-results-list': () => order((v: ReturnType<typeof lowResultsOrderView>) => lowResultsAppendices(v)),
    'order-working-group': () => order((v: ReturnType<typeof workingGroupOrderView>) => workingGroupAppendices(v)),
    'order-network-partnership': () =>
      order((v: ReturnType<typeof networkPartnershipOrderView>) => partnershipAppendices(v)),
    'order-plan-graph': () => order((v: ReturnType<typeof planGraphOrderView>) => planGraphAppendices(v)),
    'order-monitoring-results': () =>
      order((v: ReturnType<typeof monitoringResultsOrderView>) => monitoringResultsAppendices(v, nextList)),
  } satisfies Record<TwinKind, () => unknown>;
  return pack(made[kind](), properties);
}
