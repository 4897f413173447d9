import type { Cadre } from '../entities';
import { isTeamMember } from '../src/services/people/cadres';
import { cadreDaysOnSite, cadreVillageCounts, unitVillageCounts } from '../src/services/visits/village-checkins';
import { linkedVillages } from '../src/services/people/links';
import { getRules } from '../src/services/rules/rules';
import type { CommandEnv } from './command';

/** Reply pieces several commands share: the running count against the rule after a check-in or check-out. */

const UNIT_LINE = (visits: number, days: number, rv: number, rd: number) =>
  `本单位今年第${visits}次进村，累计${days}天，年度要求≥${rv}次/≥${rd}天。`;
const TEAM_LINE = (days: number, required: number) => `您今年累计到村${days}天，年度要求≥${required}天。`;
const OWN_LINE = (visits: number, days: number) => `您今年第${visits}次到该村，累计${days}天。`;
const NOT_LINKED = '（该村不是您单位的联系村）';

/** `viaUnit`: whether the village is one of the unit's 联村 villages, when the caller already knows. */
export async function visitCountLine(env: CommandEnv, cadre: Cadre, villageId: number, viaUnit?: boolean): Promise<string> {
  const rules = await getRules(env.manager, ['village.visits_per_year', 'village.days_per_year', 'team.days_on_site_per_year']);
  const unitLinked = cadre.unitId !== null
    && (viaUnit ?? (await linkedVillages(env.manager, cadre, env.now)).some((v) => v.id === villageId && v.viaUnit));
  const lines: string[] = [];
  if (unitLinked) {
    const c = await unitVillageCounts(env.manager, cadre.unitId!, villageId, env.now);
    lines.push(UNIT_LINE(c.visits, c.days, rules['village.visits_per_year'], rules['village.days_per_year']));
  } else {
    const c = await cadreVillageCounts(env.manager, cadre.id, villageId, env.now);
    lines.push(OWN_LINE(c.visits, c.days) + NOT_LINKED);
  }
  if (isTeamMember(cadre)) {
    lines.push(TEAM_LINE(await cadreDaysOnSite(env.manager, cadre.id, env.now), rules['team.days_on_site_per_year']));
  }
  return lines.join('\n');
}
