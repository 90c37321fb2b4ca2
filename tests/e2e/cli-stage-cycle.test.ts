import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosedStage } from '../../functions/app/stage-archive.js';
import type { MonitoringIndicators } from '../../functions/core/indicators.js';
import { registryTabs, schoolATabs, schoolBTabs } from '../support/fixture-region.js';
import { readPdf } from '../support/pdf-text.js';
import { runCli } from '../support/run-cli.js';
import { writeBook } from '../support/workbook-content.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
let dir: string;
const out = () => path.join(dir, 'out');
const run = (...args: string[]) => runCli(['run', '--source', path.join(dir, 'реестр.xlsx'), '--out', out(), ...args]);
const readJson = async <T>(file: string) => JSON.parse(await readFile(path.join(out(), file), 'utf8')) as T;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'm500-cli-cycle-'));
  await writeBook(path.join(dir, 'реестр.xlsx'), {
    ...registryTabs,
    region: {
      rows: [{ ...registryTabs.region.rows[0], entryDeadline: day('2026-10-01'), interimDeadline: day('2027-01-20') }],
    },
  });
  await writeBook(path.join(dir, 'a.xlsx'), schoolATabs);
  await writeBook(path.join(dir, 'b.xlsx'), schoolBTabs);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('monitor500 run by the registry’s stage calendar', () => {
  it('takes the open stage, closes a stage on its deadline, and compares the next stage with it without --previous', async () => {
    // Without --stage the calendar's open stage on --as-of is the run's stage; its deadline is not reached: nothing closes.
    const early = await run('--as-of', '2026-09-20');
    expect(early.code, early.stderr).toBe(0);
    expect(await readJson<{ stage: string }>('manifest.json')).toMatchObject({ stage: 'входной' });
    await expect(readFile(path.join(out(), '.state', 'stages', '2026-2027', 'entry.json'))).rejects.toThrow();

    // A run dated by the deadline closes the stage.
    const closing = await run('--as-of', '2026-10-01');
    expect(closing.code, closing.stderr).toBe(0);
    const closed = await readJson<ClosedStage>('.state/stages/2026-2027/entry.json');
    expect(closed).toMatchObject({ stage: 'входной', deadline: '2026-10-01', asOf: '2026-10-01', location: '' });

    // The next stage compares with it, found in the output's own state.
    const interim = await run('--as-of', '2026-11-20');
    expect(interim.code, interim.stderr).toBe(0);
    const indicators = await readJson<MonitoringIndicators>('indicators.json');
    expect(indicators.stage).toBe('промежуточный');
    expect(indicators.previous).toEqual({ asOf: '2026-10-01', stage: 'входной' });
    const stage = await readPdf(await readFile(path.join(out(), 'reports', 'stage.pdf')));
    expect(stage.text).toContain('«Было» — по данным входного мониторинга на 1 октября 2026 г.');
    // The index lists the stages: the closed one (its documents are not kept apart here: no link), the open one.
    const index = await readFile(path.join(out(), 'index.html'), 'utf8');
    expect(index).toContain(
      '<td>Входной мониторинг, 2026/2027 учебный год</td><td>1 октября 2026\u00a0г.</td><td>закрыт</td>',
    );
    expect(index).toContain(
      '<td>Промежуточный мониторинг, 2026/2027 учебный год</td><td>20 января 2027\u00a0г.</td><td>открыт</td>',
    );

    // A closed stage is not closed again: a later run of it leaves its record as it was.
    const again = await run('--as-of', '2026-10-05', '--stage', 'входной');
    expect(again.code, again.stderr).toBe(0);
    expect(await readJson<ClosedStage>('.state/stages/2026-2027/entry.json')).toEqual(closed);
  });
});
