import { createHash } from 'node:crypto';
import { parseRawJson, rawJson, type RawWorkbook } from '../core/raw-workbook.js';
import { InfrastructureError } from '../errors.js';
import type { RunStateStore } from './ports/run-state-store.js';
import type { ValidationIssue } from '../core/validation-issue.js';
import type { WorkbookSource } from './ports/workbook-source.js';

const REGISTRY_KEY = 'inputs/registry.json';

interface KeptFailure {
  component: string;
  reason: InfrastructureError['reason'];
  message: string;
}

/** A kept input: the raw values as read (with the source's stamp of the workbook then), or why they could not be read. */
type KeptInput = { stamp?: string; workbook: RawWorkbook } | { failure: KeptFailure };

/** Where the raw values of a school workbook are kept: a readable name plus a hash that keeps references apart. */
function workbookKey(reference: string): string {
  const readable = reference
    .replace(/^.*[/\\]/, '')
    .replace(/[^\p{L}\p{N}._-]/gu, '_')
    .slice(0, 60);
  const hash = createHash('sha256').update(reference).digest('hex').slice(0, 12);
  return `inputs/workbooks/${readable}-${hash}.json`;
}

/**
 * Keeps the raw values of every workbook read (before validation drops anything) in the store:
 * `inputs/registry.json` and `inputs/workbooks/<name>-<hash>.json`.
 *
 * Where the source stamps its workbooks (files on disk), a workbook whose stamp is the one kept
 * with its values is not read again: its kept values are its values (a rerun into the same place
 * reads only the workbooks changed since). The stamp is taken before the read, so a change made
 * during the read gives the next run another stamp, and that run reads it again.
 */
export function keepingInputs(source: WorkbookSource, store: RunStateStore): WorkbookSource {
  const keep = async (key: string, read: () => Promise<RawWorkbook>, reference?: string): Promise<RawWorkbook> => {
    const stamp = await source.stamp?.(reference);
    if (stamp) {
      const stored = await store.read(key);
      const text = stored && Buffer.from(stored).toString('utf8');
      // The stamp comes first in the file: a workbook changed since is told without parsing the values kept.
      if (text?.startsWith(stampPrefix(stamp))) return parseKeptWorkbook(text);
    }
    let workbook: RawWorkbook;
    try {
      workbook = await read();
    } catch (error) {
      // A workbook that could not be read is kept as that failure, so a later step reports it the same
      // way; «try again later» (quota) is no answer about the workbook and is not kept.
      if (error instanceof InfrastructureError && error.reason !== 'busy') {
        const failure: KeptFailure = { component: error.component, reason: error.reason, message: error.message };
        await store.write(key, rawJson({ failure }));
      }
      throw error;
    }
    await store.write(key, rawJson(stamp ? { stamp, workbook } : { workbook }));
    return workbook;
  };
  const writeFeedback = source.writeFeedback?.bind(source);
  return {
    ...source,
    readRegistry: () => keep(REGISTRY_KEY, () => source.readRegistry()),
    readSchoolWorkbook: (reference) =>
      keep(workbookKey(reference), () => source.readSchoolWorkbook(reference), reference),
    // The answer is kept too: the run's last step reports a refused write-back from it.
    ...(writeFeedback && {
      async writeFeedback(name: string, issues: readonly ValidationIssue[], head?: readonly (readonly string[])[]) {
        const refused = await writeFeedback(name, issues, head);
        await store.write(feedbackKey(name), rawJson({ refused: refused ?? null }));
        return refused;
      },
    }),
  };
}

/**
 * The workbook of a kept input, read back as `parseRawJson` would, faster: in a raw workbook only
 * a cell's value can be a date ({"$date": …}), so only those are revived, not every value of the
 * file (a JSON.parse reviver is called for each, ~2.5× the parse alone).
 */
function parseKeptWorkbook(text: string): RawWorkbook {
  const { workbook } = JSON.parse(text) as { workbook: RawWorkbook };
  for (const tab of workbook.tabs) {
    for (const row of tab.rows) {
      for (const cell of row) {
        const value = cell?.value as unknown;
        if (typeof value === 'object' && value !== null) {
          const date = (value as { $date?: unknown }).$date;
          if (Object.keys(value).length === 1 && typeof date === 'string') cell!.value = new Date(date);
        }
      }
    }
  }
  return workbook;
}

/** How a kept input with this stamp begins (rawJson writes the keys in order, the stamp first). */
function stampPrefix(stamp: string): string {
  return `{"stamp":${JSON.stringify(stamp)},`;
}

/** Where the answer of a workbook's write-back is kept. */
function feedbackKey(name: string): string {
  return workbookKey(name).replace(/^inputs\/workbooks\//, 'inputs/feedback/');
}

/**
 * The workbooks kept by `keepingInputs`, read back: the later steps of a fanned-out run work on the
 * inputs as they were read, not on sheets that may have been edited since. A workbook never kept
 * reads as not found.
 */
export function keptInputs(store: RunStateStore): WorkbookSource {
  const read = async (key: string, what: string): Promise<RawWorkbook> => {
    const bytes = await store.read(key);
    if (!bytes) {
      throw new InfrastructureError('inputs', `${what} не была прочитана в этом прогоне.`, { reason: 'not_found' });
    }
    const kept = parseRawJson<KeptInput>(Buffer.from(bytes).toString('utf8'));
    if ('failure' in kept) {
      throw new InfrastructureError(kept.failure.component, kept.failure.message, { reason: kept.failure.reason });
    }
    return kept.workbook;
  };
  return {
    readRegistry: () => read(REGISTRY_KEY, 'Таблица-реестр'),
    readSchoolWorkbook: (reference) => read(workbookKey(reference), `Таблица «${reference}»`),
    // Nothing is written from kept inputs; a write-back refused when they were read is answered again.
    async writeFeedback(name) {
      const bytes = await store.read(feedbackKey(name));
      const kept = bytes ? parseRawJson<{ refused: string | null }>(Buffer.from(bytes).toString('utf8')) : undefined;
      return kept?.refused ?? undefined;
    },
  };
}
