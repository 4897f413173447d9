import { fileUnderRegions } from '../people/regions';
import { inspectionBlocks, villagesInspected } from '../inspections/inspections';
import { teamMembersBehind, type TeamMemberBehind } from '../standing/team-pace';
import { RegionLevel } from '../../../entities';
import type { Db } from '../../lib/db';

/**
 * What a county's and a township's digest adds about oversight: the villages
 * without the 督查 each kind is due (明察暗访 this month, 集中督查 this quarter, by
 * the inspection.* rules), and the resident team members below pace on 220/160.
 * Computed with their own statements over the digest's subtree, apart from the
 * digest's per-village figures.
 */

export const OVERSIGHT_LEVELS: readonly RegionLevel[] = [RegionLevel.County, RegionLevel.Township];
/** Names listed per digest. */
const LISTED = 5;

export interface DigestOversight {
  villages: number;
  /** The block lengths in months (1 = a month, 3 = a quarter). */
  unannouncedMonths: number;
  centralMonths: number;
  noUnannounced: number;
  noCentral: number;
  /** The first villages without a 明察暗访 in their block, by path: name below the township, else 乡镇村. */
  noUnannouncedNames: string[];
  teamBehind: number;
  team: TeamMemberBehind[];
}

/** Oversight of each given county or township scope (others are left out), keyed by region id. */
export async function digestOversight(
  db: Db, scopes: { id: number; level: number; path: string }[], prefix: string, asOf: Date, date: string,
): Promise<Map<number, DigestOversight>> {
  const out = new Map<number, DigestOversight>();
  const wanted = scopes.filter((s) => OVERSIGHT_LEVELS.includes(s.level));
  if (wanted.length === 0) return out;
  const blocks = await inspectionBlocks(db, date);
  const villages = await villagesInspected(db, prefix, asOf, date);
  const team = await teamMembersBehind(db, asOf);
  // Each village and member filed under the wanted scopes above it in one pass, not a filter of
  // every list for each scope.
  const ids = wanted.map((s) => s.id);
  const villagesOf = fileUnderRegions(villages, (v) => v.path, ids);
  const teamOf = fileUnderRegions(team, (t) => t.villagePath, ids);
  for (const s of wanted) {
    const vs = villagesOf.get(s.id) ?? [];
    const missing = vs.filter((v) => !v.unannounced);
    const members = teamOf.get(s.id) ?? [];
    const name = (fullName: string) => fullName.split('/').slice(s.level === RegionLevel.Township ? 4 : 3).join('');
    out.set(s.id, {
      villages: vs.length,
      unannouncedMonths: blocks.明察暗访.months,
      centralMonths: blocks.集中督查.months,
      noUnannounced: missing.length,
      noCentral: vs.filter((v) => !v.central).length,
      noUnannouncedNames: missing.slice(0, LISTED).map((v) => name(v.fullName)),
      teamBehind: members.length,
      team: members.slice(0, LISTED),
    });
  }
  return out;
}
