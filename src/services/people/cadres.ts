import type { DataSource, EntityManager } from 'typeorm';
import { Cadre } from '../../../entities';

type Db = DataSource | EntityManager;

export const LEADER_ROLES = ['领导', '管理员'] as const;

/**
 * The roster person behind a WeCom userid, or null. WeCom compares userids
 * case-insensitively (and returns them lower-cased), so an exact match is
 * tried first and a case-insensitive one (cadres_userid_lower_idx) second.
 */
export async function findCadreByUserid(db: Db, userid: string): Promise<Cadre | null> {
  const repo = db.getRepository(Cadre);
  const exact = await repo.findOneBy({ userid });
  if (exact) return exact;
  return repo.createQueryBuilder('c').where('lower(c.userid) = lower(:userid)', { userid }).getOne();
}

export function isLeader(cadre: Pick<Cadre, 'role'>): boolean {
  return (LEADER_ROLES as readonly string[]).includes(cadre.role);
}

export function isTeamMember(cadre: Pick<Cadre, 'role'>): boolean {
  return cadre.role === '队员' || cadre.role === '队长';
}
