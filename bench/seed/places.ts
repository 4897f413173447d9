import { pinyin } from 'pinyin-pro';
import type { SeedClock } from './clock';
import { localDate } from './clock';
import type { Cell } from './copy';
import { CITIES, DEPARTMENTS, PROVINCE, countyName, townshipName, villageName } from './names';
import type { Rand } from '../lib/rng';
import type { Shape } from './shape';

/** Regions, villages, units, their 联村 links and one WeCom group per county. */

export const REGION_COLUMNS = ['id', 'parent_id', 'level', 'name', 'full_name', 'path'];

export function* regionRows(shape: Shape): Generator<Cell[]> {
  yield [1, null, 0, PROVINCE, PROVINCE, '/1/'];
  const cityName = (c: number) => CITIES[c][0];
  for (let c = 0; c < shape.cities; c++) {
    const id = shape.cityId(c);
    yield [id, 1, 1, cityName(c), `${PROVINCE}/${cityName(c)}`, `/1/${id}/`];
  }
  for (let k = 0; k < shape.counties; k++) {
    const c = shape.cityOfCounty(k);
    const id = shape.countyId(k);
    yield [id, shape.cityId(c), 2, countyName(k), `${PROVINCE}/${cityName(c)}/${countyName(k)}`, `/1/${shape.cityId(c)}/${id}/`];
  }
  for (let t = 0; t < shape.townships; t++) {
    const k = shape.countyOfTownship(t);
    const c = shape.cityOfCounty(k);
    const id = shape.townshipId(t);
    yield [
      id, shape.countyId(k), 3, townshipName(t),
      `${PROVINCE}/${cityName(c)}/${countyName(k)}/${townshipName(t)}`,
      `/1/${shape.cityId(c)}/${shape.countyId(k)}/${id}/`,
    ];
  }
  for (let v = 0; v < shape.villages; v++) {
    const t = shape.townshipOfVillage(v);
    const k = shape.countyOfTownship(t);
    const c = shape.cityOfCounty(k);
    const id = shape.villageId(v);
    const name = villageName(v, isCommunity(v));
    yield [
      id, shape.townshipId(t), 4, name,
      `${PROVINCE}/${cityName(c)}/${countyName(k)}/${townshipName(t)}/${name}`,
      `/1/${shape.cityId(c)}/${shape.countyId(k)}/${shape.townshipId(t)}/${id}/`,
    ];
  }
}

/** One village in twenty is an urban 社区. */
export function isCommunity(v: number): boolean {
  return v % 20 === 19;
}

export function villageNameOf(v: number): string {
  return villageName(v, isCommunity(v));
}

export const VILLAGE_COLUMNS = ['id', 'kind', 'is_poor', 'latitude', 'longitude', 'radius_m', 'initials'];

/** Village centre [lat, lng], GCJ-02, scattered around its city's centre. */
export function villageCoords(shape: Shape, rand: Rand, v: number): [number, number] {
  const c = shape.cityOfCounty(shape.countyOfTownship(shape.townshipOfVillage(v)));
  const [, lat, lng] = CITIES[c];
  return [round6(lat + (rand.u(v, 0) - 0.5) * 1.2), round6(lng + (rand.u(v, 1) - 0.5) * 1.6)];
}

export function* villageRows(shape: Shape, rand: Rand): Generator<Cell[]> {
  for (let v = 0; v < shape.villages; v++) {
    const [lat, lng] = villageCoords(shape, rand, v);
    const name = villageNameOf(v);
    yield [shape.villageId(v), isCommunity(v) ? '社区' : '村', shape.poorRank[v] >= 0, lat, lng, 3000, initialsOf(name)];
  }
}

export const UNIT_COLUMNS = ['id', 'name'];

/** Unit names: the county of its first village plus a department, numbered past the list. */
export function* unitRows(shape: Shape): Generator<Cell[]> {
  let county = -1;
  let nth = 0;
  for (let u = 0; u < shape.units; u++) {
    const firstVillage = Math.ceil((u * shape.villages) / shape.units);
    const k = shape.countyOfTownship(shape.townshipOfVillage(firstVillage));
    nth = k === county ? nth + 1 : 0;
    county = k;
    const dept = DEPARTMENTS[nth % DEPARTMENTS.length];
    const round = Math.floor(nth / DEPARTMENTS.length);
    yield [u + 1, `${countyName(k)}${dept}${round > 0 ? `第${round + 1}联村组` : ''}`];
  }
}

export const UNIT_LINK_COLUMNS = ['id', 'unit_id', 'village_id', 'valid_from', 'valid_to'];

/** Every village has its unit from 1 January (两个全覆盖). */
export function* unitLinkRows(shape: Shape, clock: SeedClock): Generator<Cell[]> {
  const from = localDate(clock.yearStartMs);
  for (let v = 0; v < shape.villages; v++) {
    yield [v + 1, shape.unitOfVillage(v) + 1, shape.villageId(v), from, null];
  }
}

export const GROUP_COLUMNS = ['id', 'scope_region_id', 'name', 'robot_key'];

export function* groupRows(shape: Shape): Generator<Cell[]> {
  for (let k = 0; k < shape.counties; k++) {
    yield [k + 1, shape.countyId(k), `${countyName(k)}双联工作群`, `bench-robot-${k + 1}`];
  }
}

/** Pinyin initials without 村/社区, as the roster import stores them (丁门村 → "dm"). */
function initialsOf(name: string): string {
  const base = name.replace(/(村|社区)$/, '');
  return pinyin(base, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase().slice(0, 40);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
