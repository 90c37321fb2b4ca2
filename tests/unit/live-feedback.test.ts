import { describe, expect, it } from 'vitest';
import {
  channelNeedsRenewal,
  dueWorkbooks,
  laterEdit,
  nextDue,
  schoolEdits,
  unanswered,
  type ListedChange,
} from '../../functions/core/live-feedback.js';

const change = (fileId: string, modifiedTime: string, more: Partial<ListedChange> = {}): ListedChange => ({
  fileId,
  modifiedTime,
  removed: false,
  spreadsheet: true,
  ours: false,
  ...more,
});

describe('schoolEdits', () => {
  const participants = new Set(['school-a', 'school-b', 'registry']);
  it('keeps the latest edit of each participant workbook, whatever order the changes come in', () => {
    const edits = schoolEdits(
      [
        change('school-a', '2026-11-30T10:00:05Z'),
        change('school-b', '2026-11-30T10:00:01Z'),
        change('school-a', '2026-11-30T10:00:02Z'),
      ],
      participants,
      'registry',
    );
    expect([...edits]).toEqual([
      ['school-a', '2026-11-30T10:00:05Z'],
      ['school-b', '2026-11-30T10:00:01Z'],
    ]);
  });

  it('leaves out the registry, files the registry does not name, our own write-back, removed files and non-spreadsheets', () => {
    const edits = schoolEdits(
      [
        change('registry', '2026-11-30T10:00:00Z'),
        change('stranger', '2026-11-30T10:00:00Z'),
        change('school-a', '2026-11-30T10:00:00Z', { ours: true }),
        change('school-b', '2026-11-30T10:00:00Z', { removed: true, modifiedTime: undefined }),
        change('school-b', '2026-11-30T10:00:00Z', { spreadsheet: false }),
        change('school-b', 'not a time'),
      ],
      participants,
      'registry',
    );
    expect(edits.size).toBe(0);
  });
});

describe('laterEdit', () => {
  it('never goes back: a late or reordered listing keeps the newer time', () => {
    expect(laterEdit(undefined, '2026-11-30T10:00:00Z')).toBe('2026-11-30T10:00:00Z');
    expect(laterEdit('2026-11-30T10:00:05Z', '2026-11-30T10:00:00Z')).toBe('2026-11-30T10:00:05Z');
    expect(laterEdit('2026-11-30T10:00:00Z', '2026-11-30T10:00:05Z')).toBe('2026-11-30T10:00:05Z');
  });
});

describe('dueWorkbooks and nextDue', () => {
  const now = new Date('2026-11-30T10:01:00Z');
  const quiet = 20;
  const settled = { fileId: 'a', modifiedTime: '2026-11-30T10:00:30Z' };
  const typing = { fileId: 'b', modifiedTime: '2026-11-30T10:00:50Z' };
  const answered = { fileId: 'c', modifiedTime: '2026-11-30T10:00:00Z', answered: '2026-11-30T10:00:00Z' };
  const editedAfterAnswer = { fileId: 'd', modifiedTime: '2026-11-30T10:00:10Z', answered: '2026-11-30T10:00:00Z' };

  it('answers an unanswered workbook once its last edit is the quiet period old', () => {
    expect(dueWorkbooks([settled, typing, answered, editedAfterAnswer], now, quiet).map((w) => w.fileId)).toEqual([
      'a',
      'd',
    ]);
    expect(dueWorkbooks([{ ...settled, modifiedTime: '2026-11-30T10:00:40Z' }], now, quiet)).toHaveLength(1);
    expect(dueWorkbooks([{ ...settled, modifiedTime: '2026-11-30T10:00:40.001Z' }], now, quiet)).toHaveLength(0);
  });

  it('does nothing more for an answered edit, and reads again an edit newer than the one answered', () => {
    expect(unanswered(answered)).toBe(false);
    expect(unanswered({ ...answered, answered: '2026-11-30T10:00:05Z' })).toBe(false);
    expect(unanswered(editedAfterAnswer)).toBe(true);
  });

  it('tells when the next workbook inside its quiet period is due', () => {
    expect(nextDue([settled, typing, answered], now, quiet)?.toISOString()).toBe('2026-11-30T10:01:10.000Z');
    expect(nextDue([settled, answered], now, quiet)).toBeUndefined();
  });
});

describe('channelNeedsRenewal', () => {
  const now = new Date('2026-11-30T10:00:00Z');
  it('renews a missing channel and one expiring within the margin, not a fresh one', () => {
    expect(channelNeedsRenewal(undefined, now, 600)).toBe(true);
    expect(channelNeedsRenewal({ expiration: '2026-11-30T10:05:00Z' }, now, 600)).toBe(true);
    expect(channelNeedsRenewal({ expiration: '2026-11-30T10:10:00Z' }, now, 600)).toBe(true);
    expect(channelNeedsRenewal({ expiration: '2026-11-30T11:00:00Z' }, now, 600)).toBe(false);
    expect(channelNeedsRenewal({ expiration: 'garbage' }, now, 600)).toBe(true);
  });
});
