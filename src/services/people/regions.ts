import { Region, RegionLevel } from '../../../entities';
import type { Db } from '../../lib/db';

/** The province every roster hangs from. */
export const PROVINCE_NAME = '甘肃省';

export const LEVEL_NAMES: Record<RegionLevel, string> = {
  [RegionLevel.Province]: '省',
  [RegionLevel.City]: '市',
  [RegionLevel.County]: '县区',
  [RegionLevel.Township]: '乡镇',
  [RegionLevel.Village]: '村',
};

/**
 * SQL condition "region r lies in the subtree of `path`" as a btree range on
 * regions_path_idx (the path is C-collated, so LIKE 'prefix%' is a range scan).
 * Returns the fragment and its parameter; the caller picks the placeholder.
 */
export function subtreeLike(path: string): string {
  return `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function getRegion(db: Db, id: number): Promise<Region | null> {
  return db.getRepository(Region).findOneBy({ id });
}

export async function getProvince(db: Db): Promise<Region | null> {
  return db.getRepository(Region).findOneBy({ level: RegionLevel.Province, parentId: null as unknown as number });
}

/** The ids on a region's path, the province first and the region itself last ('/1/15/105/' → [1, 15, 105]). */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** Each item filed under every one of `regionIds` on its path (an item without a path under none), in the items' order. */
export function fileUnderRegions<T>(items: T[], pathOf: (item: T) => string | null | undefined, regionIds: Iterable<number>): Map<number, T[]> {
  const wanted = new Set(regionIds);
  const by = new Map<number, T[]>();
  for (const item of items) {
    for (const id of pathIds(pathOf(item) ?? '')) {
      if (wanted.has(id)) (by.get(id) ?? by.set(id, []).get(id)!).push(item);
    }
  }
  return by;
}

/** True when `inner` is `outer` or lies below it. */
export function contains(outer: Pick<Region, 'path'>, inner: Pick<Region, 'path'>): boolean {
  return inner.path.startsWith(outer.path);
}

/** Ids of every village in the subtree, through the path index. */
export async function villageIdsUnder(db: Db, region: Pick<Region, 'path'>): Promise<number[]> {
  const rows: { id: number }[] = await db.query(
    `SELECT id FROM regions WHERE path LIKE $1 AND level = ${RegionLevel.Village}`,
    [subtreeLike(region.path)],
  );
  return rows.map((r) => r.id);
}

/**
 * Finds a region by a scope text as leaders and rosters write it:
 * "全省", "天水市", "天水市/武山县", "武山县", "武山县/鸳鸯镇", "鸳鸯镇". Returns every match
 * (the caller asks when there are several).
 */
export async function findRegionsByScope(db: Db, scope: string): Promise<Region[]> {
  const parts = scope.split(/[/／]/).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return [];
  if (parts.length === 1 && (parts[0] === '全省' || parts[0] === PROVINCE_NAME)) {
    const p = await getProvince(db);
    return p ? [p] : [];
  }
  const last = parts[parts.length - 1];
  const candidates = await db.getRepository(Region).find({ where: { name: last }, order: { level: 'ASC', id: 'ASC' } });
  return candidates.filter((r) => {
    const names = r.fullName.split('/');
    // every given part must appear, in order, in the region's full name
    let i = 0;
    for (const n of names) if (i < parts.length && n === parts[i]) i++;
    return i === parts.length;
  });
}
