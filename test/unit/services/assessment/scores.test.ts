import { parsePeriod, periodDays, SCORE_DEFAULTS } from '../../../../src/services/assessment/scheme';
import { component, rankWithin, totalScore, workScore } from '../../../../src/services/assessment/scores';

describe('parsePeriod', () => {
  it('reads quarters and years as Shanghai date ranges', () => {
    expect(parsePeriod('2024-Q1')).toEqual({ key: '2024-Q1', from: '2024-01-01', to: '2024-04-01', quarters: ['2024-Q1'], yearDays: 366 });
    expect(parsePeriod('2026q4')).toMatchObject({ key: '2026-Q4', from: '2026-10-01', to: '2027-01-01' });
    expect(parsePeriod('2026')).toMatchObject({ from: '2026-01-01', to: '2027-01-01', quarters: ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'] });
    expect(periodDays(parsePeriod('2025-Q1'))).toBe(90);
  });

  it('refuses anything else with the form to write', () => {
    for (const bad of ['2026-Q5', '26-Q1', '2026年第一季度', '']) {
      expect(() => parsePeriod(bad)).toThrow(expect.objectContaining({ code: 'bad_period', userMessage: '考评期间请写 2026-Q1 或 2026' }));
    }
  });
});

describe('scoring', () => {
  it('gives a component its weight times the share done, at most the weight; nothing owed leaves it out', () => {
    expect(component('diary_days', 5, 3, 24.66)).toMatchObject({ points: 0.61, max: 5 });
    expect(component('help_acts', 10, 4, 1.48)).toMatchObject({ points: 10 });
    expect(component('problems_in_time', 10, 0, 0)).toBeNull();
    expect(component('problems_in_time', 0, 1, 1)).toBeNull();
  });

  it('puts the work score on 100 over the points that applied, and the total over the parts present', () => {
    expect(workScore([component('household_visits', 15, 1, 1)!, component('diary_days', 5, 0, 10)!])).toBe(75);
    expect(workScore([])).toBe(0);
    expect(totalScore(SCORE_DEFAULTS, 50, null, null)).toBe(50);
    expect(totalScore(SCORE_DEFAULTS, 50, 90, null)).toBe(60);
    expect(totalScore(SCORE_DEFAULTS, 50, 90, 70)).toBe(62);
  });

  it('ranks ties alike and skips the places they take (1, 2, 2, 4), per group', () => {
    const rows = [{ g: 1, total: 80 }, { g: 1, total: 90 }, { g: 1, total: 80 }, { g: 1, total: 10 }, { g: 2, total: 5 }]
      .map((r) => ({ ...r, rank: 0 }));
    rankWithin(rows, (r) => r.g, (r, rank) => { r.rank = rank; });
    expect(rows.map((r) => [r.total, r.rank])).toEqual([[80, 2], [90, 1], [80, 2], [10, 4], [5, 1]]);
  });
});
