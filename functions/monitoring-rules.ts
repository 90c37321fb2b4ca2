import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { MonitoringSettings } from './core/settings.js';
import { compileTabSpecs, type TabId, type TabSchema, type TabSpec } from './core/tab-specs.js';
import { InfrastructureError } from './errors.js';
import { projectPath } from './project-files.js';

/** The data contract and thresholds, loaded and compiled once per process. */
export interface MonitoringRules {
  settings: MonitoringSettings;
  specs: Map<TabId, TabSpec>;
}

let loaded: MonitoringRules | undefined;

/** Schemas from schemas/ and settings from config/monitoring.json, compiled on first use. */
export function monitoringRules(): MonitoringRules {
  if (loaded) return loaded;
  const readJson = (...parts: string[]) => JSON.parse(readFileSync(projectPath(...parts), 'utf8')) as unknown;
  const settings = readJson('config', 'monitoring.json');
  const checkSettings = new Ajv({ allErrors: true }).compile<MonitoringSettings>(
    readJson('schemas', 'settings.schema.json') as object,
  );
  if (!checkSettings(settings)) {
    const problems = (checkSettings.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new InfrastructureError('config', `config/monitoring.json не соответствует схеме: ${problems}.`);
  }
  const tabFiles = readdirSync(projectPath('schemas', 'tabs'))
    .filter((f) => f.endsWith('.json'))
    .sort();
  // The contract's own order of tabs: blank workbooks and reports list them this way.
  const schemas = tabFiles
    .map((f) => readJson('schemas', 'tabs', f) as TabSchema)
    .sort((a, b) => Number(a['x-order']) - Number(b['x-order']));
  loaded = { settings, specs: compileTabSpecs(schemas, readJson('schemas', 'cells.json') as object, settings) };
  return loaded;
}
