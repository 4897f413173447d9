import type { Region } from '../../../entities';
import { helpCountsByChild, regionHelpCounts, type HelpCounts } from '../aid/help-acts';
import { inspectionBlocks, villagesInspectedUnder } from '../inspections/inspections';
import { teamMembersBehind, type TeamMemberBehind } from '../standing/team-pace';
import { shanghaiDate } from '../../lib/time';
import { consoleRead } from './read';
import type { Db } from '../../lib/db';

/**
 * The console's 帮扶督查 page for a scope: this year's 六送 acts by kind (in
 * total and per child region, from the village tallies), the resident team
 * members below pace on 220/160, and the villages without the 督查 each kind is
 * due in its current block (明察暗访 monthly, 集中督查 quarterly by default).
 */

/** Rows listed per list. */
const LISTED = 50;

export interface OversightPage {
  help: HelpCounts;
  helpByChild: ({ id: number; name: string } & HelpCounts)[];
  team: { total: number; rows: TeamMemberBehind[] };
  inspections: {
    villages: number;
    unannouncedMonths: number;
    centralMonths: number;
    noUnannounced: number;
    noCentral: number;
    /** The first villages missing either kind, by path. */
    gaps: { id: number; fullName: string; unannounced: boolean; central: boolean }[];
  };
}

export async function oversightPage(db: Db, scope: Region, now: Date): Promise<OversightPage> {
  const date = shanghaiDate(now);
  return consoleRead(db, async (m) => {
    const help = await regionHelpCounts(m, scope.path, now);
    const helpByChild = await helpCountsByChild(m, scope, now);
    const team = await teamMembersBehind(m, now, scope.path);
    const blocks = await inspectionBlocks(m, date);
    const villages = await villagesInspectedUnder(m, scope.path, now, date);
    const gaps = villages.filter((v) => !v.unannounced || !v.central);
    return {
      help,
      helpByChild,
      team: { total: team.length, rows: team.slice(0, LISTED) },
      inspections: {
        villages: villages.length,
        unannouncedMonths: blocks.明察暗访.months,
        centralMonths: blocks.集中督查.months,
        noUnannounced: villages.filter((v) => !v.unannounced).length,
        noCentral: villages.filter((v) => !v.central).length,
        gaps: gaps.slice(0, LISTED).map(({ id, fullName, unannounced, central }) => ({ id, fullName, unannounced, central })),
      },
    };
  });
}
