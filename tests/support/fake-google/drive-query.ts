/** Drive's `q` language: tokens, the grammar, and the predicate over what Drive lists. */
import { ApiError } from './errors.js';

type Token = { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'op'; v: string } | { t: '(' } | { t: ')' };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const invalid = () =>
    new ApiError(400, 'Invalid Value', { reason: 'invalid', location: 'q', locationType: 'parameter' });
  while (i < q.length) {
    const ch = q[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let v = '';
      i++;
      for (;;) {
        const c = q[i];
        if (c === undefined) throw invalid();
        if (c === '\\') {
          v += q[i + 1] ?? '';
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          v += c;
          i++;
        }
      }
      tokens.push({ t: 'str', v });
    } else if (ch === '(' || ch === ')') {
      tokens.push({ t: ch });
      i++;
    } else {
      const op = /^(<=|>=|!=|<|>|=)/.exec(q.slice(i));
      if (op) {
        tokens.push({ t: 'op', v: op[1] ?? '' });
        i += op[1]?.length ?? 1;
        continue;
      }
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
      if (!word) throw invalid();
      tokens.push({ t: 'word', v: word[0] });
      i += word[0].length;
    }
  }
  return tokens;
}

/** RFC 3339 with or without an offset (Drive reads none as UTC). */
function parseTime(text: string): number {
  const withZone = /(Z|[+-]\d\d:\d\d)$/i.test(text) ? text : `${text}Z`;
  return Date.parse(withZone);
}

function compare(a: number | string, op: string, b: number | string): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

/** What Drive's `q` and listings see of a file or folder. */
export interface DriveItem {
  id: string;
  name: string;
  mimeType: string;
  /** As Drive answers it (see setModifiedTimeLag). */
  modifiedTime: string;
  version: number;
  /** E-mail of whoever made the modification Drive shows; undefined: the default owner. */
  lastModifiedBy?: string;
  /** Undefined for a spreadsheet put() without parents: any `'…' in parents` matches it. */
  parents?: string[];
  driveId?: string;
}

export function compileQuery(q: string): (ss: DriveItem) => boolean {
  const tokens = tokenize(q);
  let i = 0;
  const invalid = () =>
    new ApiError(400, 'Invalid Value', { reason: 'invalid', location: 'q', locationType: 'parameter' });
  const peekWord = (w: string) => {
    const t = tokens[i];
    return t?.t === 'word' && t.v.toLowerCase() === w;
  };
  type Pred = (ss: DriveItem) => boolean;
  /** `part (word part)*`: the parts a keyword joins, in order. */
  const joined = (word: 'or' | 'and', part: () => Pred): Pred[] => {
    const parts = [part()];
    while (peekWord(word)) {
      i++;
      parts.push(part());
    }
    return parts;
  };
  const orExpr = (): Pred => {
    const parts = joined('or', andExpr);
    return (ss) => parts.some((p) => p(ss));
  };
  const andExpr = (): Pred => {
    const parts = joined('and', unary);
    return (ss) => parts.every((p) => p(ss));
  };
  const unary = (): Pred => {
    if (peekWord('not')) {
      i++;
      const inner = unary();
      return (ss) => !inner(ss);
    }
    if (tokens[i]?.t === '(') {
      i++;
      const inner = orExpr();
      if (tokens[i]?.t !== ')') throw invalid();
      i++;
      return inner;
    }
    return term();
  };
  const term = (): Pred => {
    const first = tokens[i++];
    if (first?.t === 'str') {
      if (!peekWord('in')) throw invalid();
      i++;
      const collection = tokens[i++];
      if (collection?.t !== 'word') throw invalid();
      const value = first.v;
      if (collection.v === 'parents') return (ss) => !ss.parents || ss.parents.includes(value);
      if (['owners', 'writers', 'readers'].includes(collection.v)) return () => true;
      throw invalid();
    }
    if (first?.t !== 'word') throw invalid();
    const field = first.v;
    const opToken = tokens[i++];
    const op = opToken?.t === 'op' ? opToken.v : opToken?.t === 'word' ? opToken.v.toLowerCase() : undefined;
    const valueToken = tokens[i++];
    if (op === undefined || valueToken === undefined) throw invalid();
    const literal =
      valueToken.t === 'str'
        ? valueToken.v
        : valueToken.t === 'word' && (valueToken.v === 'true' || valueToken.v === 'false')
          ? valueToken.v === 'true'
          : undefined;
    if (literal === undefined) throw invalid();
    switch (field) {
      case 'modifiedTime':
      case 'createdTime': {
        if (typeof literal !== 'string' || op === 'contains') throw invalid();
        const bound = parseTime(literal);
        if (Number.isNaN(bound)) throw invalid();
        return (ss) => compare(Date.parse(ss.modifiedTime), op, bound);
      }
      case 'name':
      case 'fullText': {
        if (typeof literal !== 'string') throw invalid();
        if (op === 'contains') return (ss) => ss.name.toLowerCase().includes(literal.toLowerCase());
        if (op !== '=' && op !== '!=') throw invalid();
        return (ss) => compare(ss.name, op, literal);
      }
      case 'mimeType': {
        if (typeof literal !== 'string' || (op !== '=' && op !== '!=')) throw invalid();
        return (ss) => compare(ss.mimeType, op, literal);
      }
      case 'trashed':
      case 'starred': {
        if (typeof literal !== 'boolean' || (op !== '=' && op !== '!=')) throw invalid();
        return () => (op === '=' ? literal === false : literal !== false);
      }
      default:
        throw invalid();
    }
  };
  const predicate = orExpr();
  if (i !== tokens.length) throw invalid();
  return predicate;
}
