import { describe, expect, it } from 'vitest';
import { changesSince, firstRecordedDay, recordedDay, standingOn } from '../src/corrections';
import type { HistoryAssessment, Source } from '../src/types';

const src = (id: number, title: string): Source => ({ id: String(id), url: null, title, publisher: 'Publisher', published: '2020-01-01' });

let next = 1;
/** A history row as GET /countries/{iso3}/history sends it. */
const a = (over: Partial<HistoryAssessment>): HistoryAssessment => ({
  id: next++, capability: 'identity.biometric_id', level: 3, valid_from: '2019-01-01', valid_to: null,
  recorded_at: '2026-01-10T09:00:00Z', superseded_by: null, supersedes: null, retracted: false,
  confidence: 'H', summary: 'Register', provenance: 'dataset', sources: [src(1, 'First')], ...over,
});

describe('recorded days', () => {
  it('reads the UTC day of a timestamp, whatever its offset', () => {
    expect(recordedDay(a({ recorded_at: '2026-01-10T23:30:00-02:00' }))).toBe('2026-01-11');
    expect(recordedDay(a({ recorded_at: '2026-01-10T22:49:54.171205Z' }))).toBe('2026-01-10');
    expect(firstRecordedDay([a({ recorded_at: '2026-03-01T00:00:00Z' }), a({ recorded_at: '2026-01-10T00:00:00Z' })])).toBe('2026-01-10');
    expect(firstRecordedDay([])).toBeNull();
  });
});

describe('changesSince', () => {
  it('lists a correction recorded after the date: old level → new level, reason, flag and new sources', () => {
    const old = a({ level: 1, valid_from: '2021-10-14' });
    const fix = a({ level: 3, valid_from: '2021-10-14', supersedes: old.id, recorded_at: '2026-03-02T10:00:00Z',
      correction_reason: 'The ruling halted the cards, not the register.', level_judgement: true, sources: [src(1, 'First'), src(2, 'Ruling')] });
    old.superseded_by = fix.id;
    const { corrections, added } = changesSince([old, fix], '2026-02-01');
    expect(added).toEqual([]);
    expect(corrections).toHaveLength(1);
    const c = corrections[0];
    expect([c.old.level, c.now.level, c.withdrawn, c.steps]).toEqual([1, 3, false, 1]);
    expect(c.reason).toBe('The ruling halted the cards, not the register.');
    expect(c.levelJudgement).toBe(true);
    expect(c.newSources.map((s) => s.title)).toEqual(['Ruling']);
    expect(c.changed).toEqual(['sources']);
  });

  it('shows nothing for a date after the correction: the tracker already stood by it', () => {
    const old = a({ level: 1 });
    const fix = a({ level: 3, supersedes: old.id, recorded_at: '2026-03-02T10:00:00Z' });
    expect(changesSince([old, fix], '2026-03-02').corrections).toEqual([]);
    expect(standingOn([old, fix], '2026-03-02')).toEqual([fix]);
    expect(standingOn([old, fix], '2026-03-01')).toEqual([old]);
  });

  it('follows a chain of corrections to the row that stands now, with the latest reason given', () => {
    const r1 = a({ level: 1 });
    const r2 = a({ level: 2, supersedes: r1.id, recorded_at: '2026-03-01T00:00:00Z', correction_reason: 'first look' });
    const r3 = a({ level: 4, supersedes: r2.id, recorded_at: '2026-04-01T00:00:00Z', valid_from: '2020-01-01' });
    const [c] = changesSince([r1, r2, r3], '2026-02-01').corrections;
    expect([c.old.level, c.now.level, c.steps, c.reason]).toEqual([1, 4, 2, 'first look']);
    expect(c.changed).toEqual(['validity']);
    expect(c.levelJudgement).toBeNull(); // the API did not send the flag
  });

  it('reports a withdrawal as such, without sources', () => {
    const old = a({ level: 2 });
    const ret = a({ level: 2, supersedes: old.id, retracted: true, recorded_at: '2026-05-01T00:00:00Z', provenance: 'retracted', sources: [] });
    const [c] = changesSince([old, ret], '2026-02-01').corrections;
    expect(c.withdrawn).toBe(true);
    expect(c.newSources).toEqual([]);
    expect(c.reason).toBeNull();
  });

  it('lists assessments first recorded after the date apart from corrections, as they stand now', () => {
    const kept = a({});
    const fresh = a({ capability: 'sanctions.blacklist', recorded_at: '2026-05-01T00:00:00Z', level: 2 });
    const freshFix = a({ capability: 'sanctions.blacklist', supersedes: fresh.id, recorded_at: '2026-06-01T00:00:00Z', level: 3 });
    const pulled = a({ capability: 'rating.private_score', recorded_at: '2026-05-01T00:00:00Z' });
    const pulledRet = a({ capability: 'rating.private_score', supersedes: pulled.id, retracted: true, recorded_at: '2026-05-02T00:00:00Z' });
    const out = changesSince([kept, fresh, freshFix, pulled, pulledRet], '2026-02-01');
    expect(out.corrections).toEqual([]);
    expect(out.added.map((x) => [x.capability, x.level])).toEqual([['sanctions.blacklist', 3]]);
  });

  it('keeps rows that were already retracted by the date out of the comparison', () => {
    const old = a({});
    const ret = a({ supersedes: old.id, retracted: true, recorded_at: '2026-01-20T00:00:00Z' });
    expect(standingOn([old, ret], '2026-02-01')).toEqual([]);
    expect(changesSince([old, ret], '2026-02-01').corrections).toEqual([]);
  });

  it('copes with ids as numbers or strings and with a cycle in bad data', () => {
    const x = a({ id: '7' });
    const y = a({ id: 8, supersedes: 7, recorded_at: '2026-03-01T00:00:00Z', level: 4 });
    expect(changesSince([x, y], '2026-02-01').corrections[0].now.level).toBe(4);
    const p = a({ id: 20, supersedes: 21, recorded_at: '2026-03-01T00:00:00Z' });
    const q = a({ id: 21, supersedes: 20, recorded_at: '2026-03-01T00:00:00Z' });
    expect(() => changesSince([p, q], '2026-02-01')).not.toThrow();
  });
});
