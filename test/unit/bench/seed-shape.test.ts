import { Shape } from '../../../bench/seed/shape';
import { parseFlags, numberFlag } from '../../../bench/lib/args';
import { createRand } from '../../../bench/lib/rng';
import { householderName, villageName } from '../../../bench/seed/names';

/** The seed's index arithmetic: every mapping agrees with its inverse, for awkward sizes too. */
const sizes = { cadres: 3_001, villages: 97, households: 9_973, visits: 0, householdVisits: 0, problems: 0, diaries: 0, notices: 0 };

test('households, 干部 and villages map to each other consistently', () => {
  const s = new Shape(sizes);
  let linked = 0;
  const wrong: string[] = [];
  for (let g = 0; g < s.ganbu; g++) {
    const n = s.householdCountOfGanbu(g);
    for (let m = 0; m < n; m++) {
      const h = s.householdOfGanbu(g, m);
      if (s.ganbuOfHousehold(h) !== g) wrong.push(`household ${h} → 干部 ${s.ganbuOfHousehold(h)}, not ${g}`);
      if (s.villageOfHousehold(h) !== s.villageOfGanbu(g)) wrong.push(`household ${h} is not in 干部 ${g}'s village`);
    }
    if (s.householdOfGanbu(g, n) !== -1) wrong.push(`干部 ${g} has more than ${n} households`);
    linked += n;
  }
  expect(wrong).toEqual([]);
  expect(linked).toBe(sizes.households); // every household has exactly one 干部
  for (let v = 0; v < s.villages; v++) {
    const [g0, g1] = s.ganbuOfVillage(v);
    expect(g1).toBeGreaterThan(g0); // every village has a 干部
    expect(s.townshipOfVillage(v)).toBeLessThan(s.townships);
  }
  expect(s.leaders + s.team + s.ganbu).toBe(sizes.cadres);
});

test('names that must be unique are', () => {
  const villages = new Set(Array.from({ length: 20_000 }, (_, v) => villageName(v, v % 20 === 19)));
  expect(villages.size).toBe(20_000);
  const householders = new Set(Array.from({ length: 400 }, (_, j) => householderName(3, j)));
  expect(householders.size).toBe(400);
});

test('randomness is a pure function of seed, stream, row and field', () => {
  const a = createRand(1, 4);
  expect(a.u(123_456_789, 3)).toBe(createRand(1, 4).u(123_456_789, 3));
  expect(a.u(1, 0)).not.toBe(createRand(2, 4).u(1, 0));
  const ints = Array.from({ length: 1000 }, (_, i) => a.int(i, 0, 10));
  expect(Math.min(...ints)).toBe(0);
  expect(Math.max(...ints)).toBe(9);
});

test('flags accept 500k, 5m and 500_000', () => {
  const f = parseFlags(['--cadres', '500k', '--households=5m', '--visits', '10_000_000', '--force']);
  expect(numberFlag(f, 'cadres', 0)).toBe(500_000);
  expect(numberFlag(f, 'households', 0)).toBe(5_000_000);
  expect(numberFlag(f, 'visits', 0)).toBe(10_000_000);
  expect(f.force).toBe(true);
  expect(() => numberFlag(parseFlags(['--cadres', 'many']), 'cadres', 0)).toThrow('not a number');
});
