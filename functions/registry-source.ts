import type { RunStateStore } from './app/ports/run-state-store.js';
import { skipUnchangedWorkbooks } from './adapters/google/unchanged-workbook-cache.js';
import { createGoogleClients } from './adapters/google/clients.js';
import { googleSheetsSource, spreadsheetId } from './adapters/google/sheets-source.js';
import type { WorkbookSource } from './app/ports/workbook-source.js';
import { localWorkbookSource } from './adapters/xlsx/files-source.js';
import type { Config } from './config.js';
import { UsageError } from './errors.js';
import type { MonitoringRules } from './monitoring-rules.js';

/**
 * The region's workbooks from a registry reference: «sheets:<ID>» reads Google spreadsheets (those
 * unchanged since the last read come from `cache`); anything else is a local .xlsx registry.
 */
export function registrySource(
  reference: string,
  config: Config,
  rules: MonitoringRules,
  cache: RunStateStore,
): WorkbookSource {
  if (!reference.startsWith('sheets:')) return localWorkbookSource(reference, rules.settings.limits.maxFileMegabytes);
  const id = spreadsheetId(reference.slice('sheets:'.length));
  if (!id) throw new UsageError(`sheets: ждёт ID или ссылку Google-таблицы реестра, а задано «${reference}».`);
  const clients = createGoogleClients(config.google);
  return skipUnchangedWorkbooks(googleSheetsSource(id, clients), id, clients, cache);
}
