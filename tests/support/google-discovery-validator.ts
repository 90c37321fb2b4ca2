/**
 * Checks requests against Google's discovery documents (tests/support/google-discovery/, 2021 revisions), the
 * way Google's front ends do before a method runs: the method exists for the verb and path, every query
 * parameter is known and well typed, the JSON body matches the request schema recursively, and a `fields`
 * mask names only fields of the response schema. Refusals carry Google's wording for each API:
 * Sheets (ESF, proto3 JSON) names fields in snake_case, `Invalid JSON payload received. Unknown name …`;
 * Drive (Apiary) answers `errors[]` with a reason and a location.
 */
import {
  deref,
  DOCS,
  schemaOf,
  type Api,
  type DiscoverySchema,
  type MatchedMethod,
} from './google-discovery-documents.js';

export {
  decode,
  findMethod,
  schemaOf,
  type Api,
  type DiscoveryMethod,
  type DiscoverySchema,
  type MatchedMethod,
} from './google-discovery-documents.js';

/** A refusal in Google's terms; the fake turns it into the API's error body. */
export interface Refusal {
  code: number;
  message: string;
  /** Drive's errors[0].reason. */
  reason?: string;
  domain?: string;
  location?: string;
  locationType?: string;
  /** Sheets' google.rpc.Status details. */
  details?: unknown[];
}

/**
 * Query parameters whose allowed values the 2021 documents give only in prose: Drive's `corpora`
 * ("Supported groupings are: 'user', 'drive', 'domain', and 'allDrives'").
 */
const EXTRA_ENUMS: Record<string, Record<string, string[]>> = {
  'drive.files.list': { corpora: ['user', 'drive', 'domain', 'allDrives'] },
};

/** Enum type names as Sheets prints them in `Invalid value at '…' (type.googleapis.com/google.apps.sheets.v4.X)`. */
const SHEETS_ENUM_TYPES: Record<string, string> = {
  dimension: 'Dimension',
  majorDimension: 'Dimension',
  valueRenderOption: 'ValueRenderOption',
  responseValueRenderOption: 'ValueRenderOption',
  dateTimeRenderOption: 'DateTimeRenderOption',
  responseDateTimeRenderOption: 'DateTimeRenderOption',
  valueInputOption: 'ValueInputOption',
  insertDataOption: 'InsertDataOption',
  mergeType: 'MergeType',
  horizontalAlignment: 'HorizontalAlign',
  verticalAlignment: 'VerticalAlign',
  wrapStrategy: 'WrapStrategy',
  pasteType: 'PasteType',
  pasteOrientation: 'PasteOrientation',
  sheetType: 'SheetType',
  autoRecalc: 'RecalculationInterval',
  hyperlinkDisplayType: 'HyperlinkDisplayType',
  textDirection: 'TextDirection',
  style: 'Style',
};
const SHEETS_ENUM_BY_SCHEMA: Record<string, string> = {
  'NumberFormat.type': 'NumberFormatType',
  'BooleanCondition.type': 'ConditionType',
  'ErrorValue.type': 'ErrorType',
};

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// ---------------------------------------------------------------------------------------------------------------
// Query parameters.

const sheetsInvalid = (message: string, field = ''): Refusal => ({
  code: 400,
  message,
  details: [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: message }] },
  ],
});

const driveInvalid = (message: string, location: string, reason = 'invalid', locationType = 'parameter'): Refusal => ({
  code: 400,
  message,
  reason,
  location,
  locationType,
});

function scalarTypeName(schema: DiscoverySchema): string {
  if (schema.type === 'boolean') return 'TYPE_BOOL';
  if (schema.type === 'integer') return schema.format === 'uint32' ? 'TYPE_UINT32' : 'TYPE_INT32';
  if (schema.type === 'number') return schema.format === 'float' ? 'TYPE_FLOAT' : 'TYPE_DOUBLE';
  if (schema.format === 'int64') return 'TYPE_INT64';
  return 'TYPE_STRING';
}

function enumTypeName(name: string, owner?: string): string {
  const type = (owner && SHEETS_ENUM_BY_SCHEMA[`${owner}.${name}`]) ?? SHEETS_ENUM_TYPES[name] ?? cap(name);
  return `type.googleapis.com/google.apps.sheets.v4.${type}`;
}

/** Every query parameter must be a global one or one of the method's, with a value of its type. */
export function checkQuery(matched: MatchedMethod, query: URLSearchParams): Refusal | undefined {
  const { api, method } = matched;
  const global = DOCS[api].parameters;
  for (const name of new Set(query.keys())) {
    const own = method.parameters?.[name];
    const schema = own && own.location === 'query' ? own : global[name];
    if (!schema) {
      return api === 'sheets'
        ? sheetsInvalid(
            `Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`,
          )
        : driveInvalid(`Invalid parameter: ${name}`, name, 'invalidParameter');
    }
    const allowed = EXTRA_ENUMS[method.id]?.[name] ?? schema.enum;
    for (const value of query.getAll(name)) {
      let ok = true;
      if (schema.type === 'boolean') ok = /^(true|false)$/i.test(value);
      else if (schema.type === 'integer') {
        ok = /^-?\d+$/.test(value);
        if (ok && api === 'drive') {
          const n = Number(value);
          const min = schema.minimum === undefined ? -Infinity : Number(schema.minimum);
          const max = schema.maximum === undefined ? Infinity : Number(schema.maximum);
          if (n < min || n > max) {
            return driveInvalid(
              `Invalid value '${value}'. Values must be within the range: [${schema.minimum ?? ''}, ${schema.maximum ?? ''}]`,
              name,
            );
          }
        }
      } else if (allowed) ok = allowed.includes(value);
      if (ok) continue;
      if (api === 'sheets') {
        const type = schema.enum ? enumTypeName(name) : scalarTypeName(schema);
        return sheetsInvalid(`Invalid value at '${snake(name)}' (${type}), "${value}"`, snake(name));
      }
      if (schema.type === 'boolean') {
        return driveInvalid(
          `Invalid value '${value}'. Values must match the following regular expression: '(?i)(true|false)'`,
          name,
        );
      }
      if (schema.type === 'integer') {
        return driveInvalid(
          `Invalid value '${value}'. Values must match the following regular expression: '[+-]?\\d+'`,
          name,
        );
      }
      return driveInvalid('Invalid Value', name);
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Field masks.

/** `a,b(c,d/e),f.g` → [['a'], ['b','c'], ['b','d','e'], ['f','g']]; undefined when unbalanced. */
export function parseMask(text: string, trimSpaces: boolean): string[][] | undefined {
  const out: string[][] = [];
  let i = 0;
  const list = (prefix: string[]): boolean => {
    for (;;) {
      let name = '';
      while (i < text.length && !',()'.includes(text[i] ?? '')) name += text[i++];
      if (trimSpaces) name = name.trim();
      const path = [...prefix, ...(name === '' ? [] : name.split(/[./]/))];
      if (text[i] === '(') {
        i++;
        if (!list(path)) return false;
        if (text[i] !== ')') return false;
        i++;
      } else if (name !== '') {
        out.push(path);
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      return true;
    }
  };
  if (!list([]) || i !== text.length) return undefined;
  return out;
}

/** The first segment of `path` the schema lacks, or undefined when the whole path exists. */
function missingSegment(api: Api, root: DiscoverySchema | undefined, path: string[]): number | undefined {
  let schema = deref(api, root);
  for (let k = 0; k < path.length; k++) {
    const seg = path[k] ?? '';
    if (seg === '*') return undefined;
    while (schema?.type === 'array') schema = deref(api, schema.items);
    if (!schema) return k;
    if (schema.additionalProperties && !schema.properties) {
      schema = deref(api, schema.additionalProperties);
      continue;
    }
    const next = schema.properties?.[seg];
    if (!next) return k;
    schema = deref(api, next);
  }
  return undefined;
}

/** Checks a `fields` system parameter against the method's response schema. */
export function checkFieldsParam(matched: MatchedMethod, fields: string): Refusal | undefined {
  const { api, method } = matched;
  const root = method.response ? schemaOf(api, method.response.$ref) : undefined;
  if (!root) return undefined;
  const paths = parseMask(fields, api === 'drive');
  if (!paths) {
    return api === 'sheets'
      ? sheetsInvalid(`Invalid field selection: ${fields}`, 'fields')
      : driveInvalid(`Invalid field selection ${fields}`, 'fields', 'invalidParameter');
  }
  for (const path of paths) {
    const at = missingSegment(api, root, path);
    if (at === undefined) continue;
    if (api === 'sheets') {
      return sheetsInvalid(
        `Error expanding 'fields' parameter. Cannot find matching fields for path '${path.join('.')}'.`,
        'fields',
      );
    }
    return driveInvalid(`Invalid field selection ${path[at] ?? ''}`, 'fields', 'invalidParameter');
  }
  return undefined;
}

/** Checks a FieldMask inside a request body (e.g. updateCells.fields) against the schema it masks. */
export function checkBodyMask(api: Api, schemaId: string, fields: string): string | undefined {
  const paths = parseMask(fields, false);
  if (!paths) return fields;
  for (const path of paths) {
    if (missingSegment(api, { $ref: schemaId }, path) !== undefined) return path.join('.');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies.

/** Walks a JSON body against a schema and lists every problem, in body order, as Google does. */
function walkBody(api: Api, root: DiscoverySchema, body: unknown): Refusal[] {
  const problems: { message: string; field: string }[] = [];
  const name = (path: string) => (api === 'sheets' ? snake(path) : path);
  const visit = (schemaIn: DiscoverySchema | undefined, value: unknown, path: string, key: string, owner?: string) => {
    const schema = deref(api, schemaIn);
    if (!schema || value === null || schema.type === 'any') return;
    const shown = name(path);
    const invalid = (type: string) =>
      problems.push({
        field: shown,
        message: `Invalid value at '${shown}' (${type}), ${JSON.stringify(value)}`,
      });
    if (schema.type === 'array') {
      if (!Array.isArray(value)) {
        problems.push({
          field: shown,
          message: `Invalid JSON payload received. Expected an array for '${shown}'.`,
        });
        return;
      }
      value.forEach((item, i) => visit(schema.items, item, `${path}[${i}]`, key, owner));
      return;
    }
    if (Array.isArray(value)) {
      problems.push({
        field: shown,
        message: `Invalid JSON payload received. Proto field is not repeating, cannot start list.`,
      });
      return;
    }
    if (schema.type === 'object' || schema.properties || schema.additionalProperties) {
      if (typeof value !== 'object') {
        invalid(
          `type.googleapis.com/google.apps.${api === 'sheets' ? 'sheets.v4' : 'drive.v3'}.${schema.id ?? 'Object'}`,
        );
        return;
      }
      const obj = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(obj)) {
        const child = schema.properties?.[k] ?? schema.additionalProperties;
        const childPath = path === '' ? k : `${path}.${k}`;
        if (!child) {
          problems.push({
            field: shown,
            message:
              path === ''
                ? `Invalid JSON payload received. Unknown name "${k}": Cannot find field.`
                : `Invalid JSON payload received. Unknown name "${k}" at '${shown}': Cannot find field.`,
          });
          continue;
        }
        visit(child, v, schema.properties?.[k] ? childPath : `${path}[${JSON.stringify(k)}]`, k, schema.id);
      }
      return;
    }
    switch (schema.type) {
      case 'boolean':
        if (typeof value !== 'boolean') invalid('TYPE_BOOL');
        return;
      case 'integer': {
        const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== 'number' || !Number.isInteger(n)) invalid(scalarTypeName(schema));
        return;
      }
      case 'number': {
        const ok =
          typeof value === 'number' ||
          (typeof value === 'string' &&
            (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) || /^-?Infinity$|^NaN$/.test(value)));
        if (!ok) invalid(scalarTypeName(schema));
        return;
      }
      case 'string': {
        if (schema.format === 'int64' && typeof value === 'number' && Number.isInteger(value)) return;
        if (typeof value !== 'string') {
          invalid(scalarTypeName(schema));
          return;
        }
        if (schema.enum && !schema.enum.includes(value)) {
          invalid(api === 'sheets' ? enumTypeName(key, owner) : 'TYPE_ENUM');
        }
        return;
      }
      default:
        return;
    }
  };
  visit(root, body, '', '');
  if (problems.length === 0) return [];
  const message = problems.map((p) => p.message).join('\n');
  if (api === 'sheets') {
    return [
      {
        code: 400,
        message,
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.BadRequest',
            fieldViolations: problems.map((p) => ({ field: p.field, description: p.message })),
          },
        ],
      },
    ];
  }
  return [{ code: 400, message, reason: 'badRequest' }];
}

/** Checks a request body against the method's request schema. */
export function checkBody(matched: MatchedMethod, body: unknown): Refusal | undefined {
  const { api, method } = matched;
  if (!method.request) return undefined;
  const root = schemaOf(api, method.request.$ref);
  if (!root || body === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const message = `Invalid JSON payload received. Unknown name "": Root element must be a message.`;
    return api === 'sheets' ? sheetsInvalid(message) : { code: 400, message, reason: 'badRequest' };
  }
  return walkBody(api, root, body)[0];
}
