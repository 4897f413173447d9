import { Cadre } from '../../../entities';
import type { Db } from '../../lib/db';
import { isLeaderRole, isTeamRole } from '../../lib/roles';

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
  return isLeaderRole(cadre.role);
}

export function isTeamMember(cadre: Pick<Cadre, 'role'>): boolean {
  return isTeamRole(cadre.role);
}
