import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { emailAddresses, isEmailAddress, type CellSpec, type CellType } from './coerce-cell.js';
import type { MonitoringSettings } from './settings.js';
import type { TabRowTypes } from './tab-types.generated.js';

/** Identifier of a tab of the data contract (its schema's $id). */
export type TabId = keyof TabRowTypes;

/** One column of a tab, as its schema declares it. */
export interface ColumnSpec {
  key: string;
  header: string;
  /** What to type here, in Russian: the note on the header of a blank sheet. */
  description: string;
  cell: CellSpec;
  /** Required on every row (conditional requirements live in the schema's if/then). */
  required: boolean;
  unique: boolean;
  /** "tab.key" that a ref column points to. */
  ref?: { tab: TabId; key: string };
  /** Keys whose sum bounds this value; "-key" subtracts. */
  atMost?: string[];
}

/** Everything needed to read and check one tab. */
export interface TabSpec {
  id: TabId;
  title: string;
  workbook: 'registry' | 'school';
  layout: 'table' | 'key-value';
  columns: ColumnSpec[];
  schema: TabSchema;
  validate: ValidateFunction;
}

/** A tab schema as stored in schemas/tabs (JSON Schema plus x-* column annotations). */
export interface TabSchema {
  $id: string;
  title: string;
  'x-workbook': 'registry' | 'school';
  'x-layout'?: 'key-value';
  properties: Record<string, PropertySchema>;
  required?: string[];
  if?: { properties: Record<string, { const?: unknown; enum?: unknown[] }> };
  then?: { required: string[] };
  [keyword: string]: unknown;
}

/** A column's property schema. */
export interface PropertySchema {
  'x-header': string;
  'x-cell': CellType;
  'x-enum'?: 'riskFactors';
  'x-unique'?: boolean;
  'x-ref'?: string;
  'x-at-most'?: string[];
  enum?: string[];
  [keyword: string]: unknown;
}

/** Longest text a cell may hold (data contract). */
export const MAX_TEXT_LENGTH = 2000;

// ajv-formats ships CommonJS; under NodeNext its default export sits one level down.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/** Fills in what the schemas leave to configuration (the risk-factor list) and to the contract (text length). */
function completeSchema(schema: TabSchema, settings: MonitoringSettings): TabSchema {
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([key, prop]) => {
      const complete: PropertySchema = { ...prop };
      if (prop['x-enum'] === 'riskFactors') complete.enum = [...settings.riskFactors];
      if (prop['x-cell'] === 'text' || prop['x-cell'] === 'ref') complete.maxLength = MAX_TEXT_LENGTH;
      return [key, complete];
    }),
  );
  return { ...schema, properties };
}

/** Compiles the tab schemas once: validators plus column specs, keyed by tab id. */
export function compileTabSpecs(
  schemas: readonly TabSchema[],
  cellsSchema: object,
  settings: MonitoringSettings,
): Map<TabId, TabSpec> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // An e-mail cell (x-cell "email"): one address or several, separated by commas or semicolons.
  ajv.addFormat('email-list', (text: string) => {
    const addresses = emailAddresses(text);
    return addresses.length > 0 && addresses.every(isEmailAddress);
  });
  ajv.addSchema(cellsSchema);
  const specs = new Map<TabId, TabSpec>();
  for (const raw of schemas) {
    const schema = completeSchema(raw, settings);
    const required = new Set(schema.required ?? []);
    const columns: ColumnSpec[] = Object.entries(schema.properties).map(([key, prop]) => {
      const [refTab, refKey] = prop['x-ref']?.split('.') ?? [];
      return {
        key,
        header: prop['x-header'],
        description: typeof prop.description === 'string' ? prop.description : '',
        cell: { type: prop['x-cell'], ...(prop.enum ? { values: prop.enum } : {}) },
        required: required.has(key),
        unique: prop['x-unique'] === true,
        ...(refTab && refKey ? { ref: { tab: refTab as TabId, key: refKey } } : {}),
        ...(prop['x-at-most'] ? { atMost: prop['x-at-most'] } : {}),
      };
    });
    specs.set(schema.$id as TabId, {
      id: schema.$id as TabId,
      title: schema.title,
      workbook: schema['x-workbook'],
      layout: schema['x-layout'] ?? 'table',
      columns,
      schema,
      validate: ajv.compile(schema),
    });
  }
  return specs;
}

/** Ajv error re-exported for the message mapper. */
export type SchemaError = ErrorObject;
