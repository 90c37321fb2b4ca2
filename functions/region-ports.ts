import type { Log } from './log.js';
import type { MonitoringRules } from './monitoring-rules.js';
import type { OutputStore } from './ports/output-store.js';
import type { PdfRenderer } from './ports/pdf-renderer.js';
import type { WorkbookSource } from './ports/workbook-source.js';

/** What every cloud handler that reads the region and prints works with; the entry points build it from the configuration. */
export interface RegionPorts {
  /** The store's root: runs live under `runs/<runId>/`, the unchanged-workbook cache at the root. */
  store: OutputStore;
  /** The region's workbooks (registry and schools), with `cache` for unchanged Google spreadsheets. */
  source: (cache: OutputStore) => WorkbookSource;
  renderer: () => PdfRenderer;
  rules: MonitoringRules;
  log: Log;
}
