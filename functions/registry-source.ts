import type { RunStateStore } from './app/ports/run-state-store.js';
import { sheetsRegistryId } from './adapters/google/sheets-source.js';
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
  const id = sheetsRegistryId(reference);
  if (!id) throw new UsageError(`sheets: ждёт ID или ссылку Google-таблицы реестра, а задано «${reference}».`);
  // The Google clients (@googleapis/*, google-auth-library) load with the first workbook read.
  let google: Promise<WorkbookSource> | undefined;
  const loaded = () =>
    (google ??= Promise.all([
      import('./adapters/google/clients.js'),
      import('./adapters/google/sheets-source.js'),
      import('./adapters/google/unchanged-workbook-cache.js'),
    ]).then(([{ createGoogleClients }, { googleSheetsSource }, { skipUnchangedWorkbooks }]) => {
      const clients = createGoogleClients(config.google);
      return skipUnchangedWorkbooks(googleSheetsSource(id, clients), id, clients, cache);
    }));
  return {
    readRegistry: async () => (await loaded()).readRegistry(),
    readSchoolWorkbook: async (reference) => (await loaded()).readSchoolWorkbook(reference),
    writeFeedback: async (name, issues, head) => (await loaded()).writeFeedback?.(name, issues, head),
    writeTab: async (name, title, rows) => (await loaded()).writeTab?.(name, title, rows),
  };
}
