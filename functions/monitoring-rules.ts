import { readdirSync, readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { MonitoringIndicators } from './core/indicators.js';
import type { RecommendationRules } from './core/recommendations.js';
import type { MonitoringSettings } from './core/settings.js';
import { compileTabSpecs, type TabId, type TabSchema, type TabSpec } from './core/tab-specs.js';
import { InfrastructureError } from './errors.js';
import { projectPath } from './project-files.js';

/** The data contract, thresholds and recommendation rules, loaded and compiled once per process. */
export interface MonitoringRules {
  settings: MonitoringSettings;
  recommendations: RecommendationRules;
  specs: Map<TabId, TabSpec>;
  /** Checks a run's own indicators.json against schemas/outputs/indicators.schema.json. */
  checkIndicators: ValidateFunction<MonitoringIndicators>;
}

// ajv-formats ships CommonJS; under NodeNext its default export sits one level down.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let loaded: MonitoringRules | undefined;

function readJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(projectPath(...parts), 'utf8')) as unknown;
}

/** Reads a configuration file and checks it against its schema; a bad file stops the run with the reason. */
function loadConfig<T>(file: string, schemaFile: string): T {
  const check = new Ajv({ allErrors: true }).compile<T>(readJson('schemas', schemaFile) as object);
  const value = readJson('config', file);
  if (!check(value)) {
    const problems = (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new InfrastructureError('config', `config/${file} не соответствует схеме: ${problems}.`);
  }
  return value;
}

/** Schemas from schemas/ and the region's configuration from config/, compiled on first use. */
export function monitoringRules(): MonitoringRules {
  if (loaded) return loaded;
  const settings = loadConfig<MonitoringSettings>('monitoring.json', 'settings.schema.json');
  const recommendations = loadConfig<RecommendationRules>('recommendations.json', 'recommendations.schema.json');
  // The contract's own order of tabs: blank workbooks and reports list them this way.
  const schemas = readdirSync(projectPath('schemas', 'tabs'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => readJson('schemas', 'tabs', f) as TabSchema)
    .sort((a, b) => Number(a['x-order']) - Number(b['x-order']));
  const outputs = new Ajv({ allErrors: true, strict: false });
  addFormats(outputs);
  loaded = {
    settings,
    recommendations,
    specs: compileTabSpecs(schemas, readJson('schemas', 'cells.json') as object, settings),
    checkIndicators: outputs.compile<MonitoringIndicators>(
      readJson('schemas', 'outputs', 'indicators.schema.json') as object,
    ),
  };
  return loaded;
}
