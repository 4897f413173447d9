import type { SeedClock } from './clock';
import { localDate } from './clock';
import type { Cell } from './copy';
import { householderName, personName } from './names';
import type { Rand } from '../lib/rng';
import type { Shape } from './shape';

/** Cadres (leaders, resident teams, 干部), households and the 联户 links. */

/** WeCom userid of the bench cadre with this id: sl0000001 … */
export function cadreUserid(id: number): string {
  return `sl${String(id).padStart(7, '0')}`;
}

export const CADRE_COLUMNS = ['id', 'userid', 'name', 'mobile', 'unit_id', 'role', 'scope_region_id', 'active'];

export function* cadreRows(shape: Shape, rand: Rand): Generator<Cell[]> {
  const row = (id: number, unit: number | null, role: string, scope: number | null): Cell[] => [
    id, cadreUserid(id), personName(rand.int(id, 0, 1 << 30)),
    `1${3 + rand.int(id, 1, 7)}${String(rand.int(id, 2, 1e9)).padStart(9, '0')}`, unit, role, scope, true,
  ];
  yield row(1, null, '领导', 1);
  yield row(2, null, '管理员', 1);
  for (let c = 0; c < shape.cities; c++) yield row(shape.leaderOfCity(c), null, '领导', shape.cityId(c));
  for (let k = 0; k < shape.counties; k++) yield row(shape.leaderOfCounty(k), null, '领导', shape.countyId(k));
  for (let t = 0; t < shape.townships; t++) yield row(shape.leaderOfTownship(t), null, '领导', shape.townshipId(t));
  for (let i = 0; i < shape.team; i++) {
    yield row(shape.teamId(i), shape.unitOfVillage(shape.teamVillage(i)) + 1, i % 2 === 0 ? '队长' : '队员', null);
  }
  for (let g = 0; g < shape.ganbu; g++) {
    yield row(shape.ganbuId(g), shape.unitOfVillage(shape.villageOfGanbu(g)) + 1, '干部', null);
  }
}

export const HOUSEHOLD_COLUMNS = ['id', 'village_id', 'householder', 'category', 'size'];

/** Cumulative shares: 贫困户 25 %, 特困户 3 %, 低保户 10 %, 五保户 2 %, 一般户 the rest. */
const CATEGORIES: [string, number][] = [['贫困户', 0.25], ['特困户', 0.28], ['低保户', 0.38], ['五保户', 0.4], ['一般户', 1]];

export function* householdRows(shape: Shape, rand: Rand): Generator<Cell[]> {
  for (let v = 0; v < shape.villages; v++) {
    const [h0, h1] = shape.householdsOfVillage(v);
    for (let h = h0; h < h1; h++) {
      const p = rand.u(h, 0);
      const category = CATEGORIES.find(([, upTo]) => p < upTo)![0];
      yield [h + 1, shape.villageId(v), householderName(v, h - h0), category, 1 + rand.int(h, 1, 6)];
    }
  }
}

export const HOUSEHOLD_LINK_COLUMNS = ['id', 'cadre_id', 'household_id', 'village_id', 'valid_from', 'valid_to'];

/** Every household has one linked 干部 from 1 January (两个全覆盖); tallies are computed after the load. */
export function* householdLinkRows(shape: Shape, clock: SeedClock): Generator<Cell[]> {
  const from = localDate(clock.yearStartMs);
  for (let h = 0; h < shape.sizes.households; h++) {
    yield [h + 1, shape.ganbuId(shape.ganbuOfHousehold(h)), h + 1, shape.villageId(shape.villageOfHousehold(h)), from, null];
  }
}
