/** Small helpers for untyped request bodies, and field masks (`a,b(c,d),e.f` → paths). */
import { badRequest } from './errors.js';
import type { Json } from './types.js';

const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
export const asObject = (x: unknown): Json => (isObject(x) ? x : {});
export const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
export const optInt = (x: unknown): number | undefined => {
  if (x === undefined || x === null) return undefined;
  const n = typeof x === 'string' ? Number(x) : x;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
};
export const optString = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

export function parseFieldMask(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const list = (prefix: string): void => {
    for (;;) {
      while (text[i] === ' ') i++;
      let name = '';
      while (i < text.length && !',()'.includes(text[i] ?? '')) name += text[i++];
      name = name.trim().replace(/\//g, '.');
      const path = prefix === '' ? name : `${prefix}.${name}`;
      if (text[i] === '(') {
        i++;
        list(path);
        if (text[i] !== ')') throw badRequest(`Invalid field selection ${text}`);
        i++;
      } else if (name !== '') {
        out.push(path);
      }
      while (text[i] === ' ') i++;
      if (text[i] === ',') {
        i++;
        continue;
      }
      return;
    }
  };
  list('');
  if (i !== text.length) throw badRequest(`Invalid field selection ${text}`);
  return out;
}

/** True when a field mask writes `path` (the mask names it, a parent of it, or '*'). */
export function covers(mask: string[], path: string): boolean {
  return mask.some((m) => m === '*' || m === path || path.startsWith(`${m}.`) || m.startsWith(`${path}.`));
}

/** Keeps only the fields a `fields` parameter asks for (dot paths, as parseFieldMask gives them). */
export function project(value: unknown, paths: string[]): unknown {
  return projectPaths(
    value,
    paths.map((p) => p.split('.')),
  );
}

function projectPaths(value: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0 || p[0] === '*')) return value;
  if (Array.isArray(value)) return value.map((v) => projectPaths(v, paths));
  if (!isObject(value)) return value;
  const groups = new Map<string, string[][]>();
  for (const [head = '', ...rest] of paths) groups.set(head, [...(groups.get(head) ?? []), rest]);
  const out: Json = {};
  for (const [head, rests] of groups) if (head in value) out[head] = projectPaths(value[head], rests);
  return out;
}
