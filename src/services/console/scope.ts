import { Region, type Cadre } from '../../../entities';
import { ForbiddenError, NotFoundError } from '../../lib/errors';
import { getProvince, pathIds } from '../people/regions';
import type { Db } from '../../lib/db';

/**
 * Who may see what in the console: an admin the whole province (or their
 * scope when the roster gives one), a leader their scope subtree, a cadre
 * only their own records. Every console API resolves its `scope` through
 * requireScope, so a leader asking for another county gets 403, not an
 * empty page.
 */

export interface Viewer {
  cadre: Cadre;
  /** The subtree the viewer may read; null for cadres without a leading role. */
  scope: Region | null;
}

const OUT_OF_SCOPE = '该范围不在您的管辖范围内。';
const NOT_A_LEADER = '控制台数据仅对领导和双联办开放。';

export async function resolveViewer(db: Db, cadre: Cadre): Promise<Viewer> {
  if (cadre.role !== '领导' && cadre.role !== '管理员') return { cadre, scope: null };
  if (cadre.scopeRegionId !== null) {
    const scope = await db.getRepository(Region).findOneBy({ id: cadre.scopeRegionId });
    return { cadre, scope };
  }
  return { cadre, scope: cadre.role === '管理员' ? await getProvince(db) : null };
}

/** The region a request asks about (default: the viewer's whole scope), checked against the viewer's scope. */
export async function requireScope(db: Db, viewer: Viewer, regionId?: number): Promise<Region> {
  if (!viewer.scope) throw new ForbiddenError(`cadre ${viewer.cadre.id} has no console scope`, NOT_A_LEADER);
  if (regionId === undefined || regionId === viewer.scope.id) return viewer.scope;
  const region = await db.getRepository(Region).findOneBy({ id: regionId });
  if (!region) throw new NotFoundError(`region ${regionId}`, '找不到该地区。');
  if (!region.path.startsWith(viewer.scope.path)) {
    throw new ForbiddenError(`cadre ${viewer.cadre.id} asked for region ${regionId} outside scope ${viewer.scope.id}`, OUT_OF_SCOPE);
  }
  return region;
}

export interface TreeNode {
  id: number;
  name: string;
  fullName: string;
  level: number;
}

function node(r: Region): TreeNode {
  return { id: r.id, name: r.name, fullName: r.fullName, level: r.level };
}

/** The breadcrumb from the viewer's scope down to `region`, and the region's children (by regions_parent_name_uq). */
export async function scopeTree(db: Db, viewer: Viewer, region: Region): Promise<{ region: TreeNode; trail: TreeNode[]; children: TreeNode[] }> {
  const ids = pathIds(region.path);
  const ancestors = await db.getRepository(Region).createQueryBuilder('r')
    .where('r.id = ANY(:ids)', { ids }).orderBy('r.level').getMany();
  const trail = ancestors.filter((a) => a.path.startsWith(viewer.scope!.path)).map(node);
  const children = await db.getRepository(Region).createQueryBuilder('r')
    .where('r.parent_id = :id', { id: region.id }).orderBy('r.name', 'ASC').limit(2000).getMany();
  return { region: node(region), trail, children: children.map(node) };
}
