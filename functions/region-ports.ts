import type { Log } from './log.js';
import type { MonitoringRules } from './monitoring-rules.js';
import type { OutputStore } from './app/ports/output-store.js';
import type { PdfRenderer } from './app/ports/pdf-renderer.js';
import type { RunStateStore } from './app/ports/run-state-store.js';
import type { WorkbookSource } from './app/ports/workbook-source.js';

/** What every cloud handler that reads the region and prints works with; the entry points build it from the configuration. */
export interface RegionPorts {
  /** The store's root: deliverables under `runs/<runId>/` and `on-demand/…`, their run state under `.state/` (app/ports/run-state-store.ts). */
  store: OutputStore;
  /** The region's workbooks (registry and schools), with `cache` for unchanged Google spreadsheets. */
  source: (cache: RunStateStore) => WorkbookSource;
  renderer: () => PdfRenderer;
  rules: MonitoringRules;
  log: Log;
}
