/**
 * Google's discovery documents (google-discovery/, 2021 revisions) as the fake reads them: the schemas, with the
 * fields Google added since, and every method compiled to a URL pattern. The checks a request goes through are
 * in google-discovery-validator.ts.
 */
import { readFileSync } from 'node:fs';

export type Api = 'sheets' | 'drive';

export interface DiscoverySchema {
  id?: string;
  type?: string;
  $ref?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, DiscoverySchema>;
  items?: DiscoverySchema;
  additionalProperties?: DiscoverySchema;
  location?: string;
  repeated?: boolean;
  required?: boolean;
  minimum?: string;
  maximum?: string;
}

export interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  flatPath?: string;
  parameters?: Record<string, DiscoverySchema>;
  request?: { $ref: string };
  response?: { $ref: string };
}

export interface DiscoveryDoc {
  servicePath: string;
  parameters: Record<string, DiscoverySchema>;
  schemas: Record<string, DiscoverySchema>;
  resources: Record<string, { methods?: Record<string, DiscoveryMethod>; resources?: DiscoveryDoc['resources'] }>;
}

export interface MatchedMethod {
  api: Api;
  method: DiscoveryMethod;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

const load = (name: string): DiscoveryDoc =>
  JSON.parse(readFileSync(new URL(`./google-discovery/${name}`, import.meta.url), 'utf8')) as DiscoveryDoc;

export const DOCS: Record<Api, DiscoveryDoc> = { sheets: load('sheets-v4.json'), drive: load('drive-v3.json') };

/**
 * Fields Google added after the 2021 revisions, allowed by name (see google-discovery/README.md), keyed by
 * schema id. `TextFormat.link` (a `Link { uri }`, added in 2022) is what the product's «Проверка» tab uses to
 * link a finding to its cell (functions/adapters/google/sheet-feedback.ts).
 */
const EXTRA_FIELDS: Record<string, Record<string, DiscoverySchema>> = {
  TextFormat: { link: { $ref: 'Link' } },
};
/** Schemas Google added after the 2021 revisions. */
const EXTRA_SCHEMAS: Record<string, DiscoverySchema> = {
  Link: { id: 'Link', type: 'object', properties: { uri: { type: 'string' } } },
};

export function schemaOf(api: Api, ref: string): DiscoverySchema | undefined {
  const base = DOCS[api].schemas[ref] ?? (api === 'sheets' ? EXTRA_SCHEMAS[ref] : undefined);
  const extra = EXTRA_FIELDS[ref];
  if (!base || !extra) return base;
  return { ...base, properties: { ...base.properties, ...extra } };
}

export function deref(api: Api, schema: DiscoverySchema | undefined): DiscoverySchema | undefined {
  return schema?.$ref ? schemaOf(api, schema.$ref) : schema;
}

// ---------------------------------------------------------------------------------------------------------------
// Methods.

interface CompiledMethod {
  api: Api;
  method: DiscoveryMethod;
  regex: RegExp;
  names: string[];
  literal: number;
}

function compile(api: Api, method: DiscoveryMethod): CompiledMethod {
  const template = `/${DOCS[api].servicePath}${method.flatPath ?? method.path}`;
  const names: string[] = [];
  let literal = 0;
  let source = '';
  for (const part of template.split(/(\{\+?[A-Za-z_]+\})/)) {
    const m = /^\{(\+?)([A-Za-z_]+)\}$/.exec(part);
    if (m) {
      names.push(m[2] ?? '');
      source += m[1] === '+' ? '(.+)' : m[2] === 'range' ? '([^/]+)' : '([^/:]+)';
    } else {
      literal += part.length;
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return { api, method, regex: new RegExp(`^${source}$`), names, literal };
}

const METHODS: CompiledMethod[] = (['sheets', 'drive'] as const)
  .flatMap((api) => {
    const out: CompiledMethod[] = [];
    const walk = (resources: DiscoveryDoc['resources']) => {
      for (const resource of Object.values(resources)) {
        for (const method of Object.values(resource.methods ?? {})) out.push(compile(api, method));
        if (resource.resources) walk(resource.resources);
      }
    };
    walk(DOCS[api].resources);
    return out;
  })
  .sort((a, b) => b.literal - a.literal);

/** A percent-decoded URL part; the part as it is when it does not decode. */
export const decode = (part: string) => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** The discovery method for a verb and a raw (still percent-encoded) URL path, if Google has one. */
export function findMethod(httpMethod: string, rawPath: string): MatchedMethod | undefined {
  for (const c of METHODS) {
    if (c.method.httpMethod !== httpMethod) continue;
    const m = c.regex.exec(rawPath);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => (params[name] = decode(m[i + 1] ?? '')));
    return { api: c.api, method: c.method, params };
  }
  return undefined;
}
