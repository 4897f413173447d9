import { linkedHouseholds, type LinkedHousehold } from '../src/services/people/links';
import type { CommandEnv } from './command';
import { ChatError, NeedChoice } from './errors';
import { closest, initialsOf, looksLikeInitials } from './fuzzy';
import type { Resolution } from './resolve-village';
import { quote, villageFromCounty } from './text';

/**
 * Households by 户主 name, only among the sender's linked households: exact
 * name, village+name (丁门村张三), unique prefix, pinyin initials.
 */

const NO_HOUSEHOLDS = '您目前没有联系户，无法记录走访。如有疑问请联系本单位双联办。';
const SUGGEST = (names: string[]) => `您是不是要找：${names.join('、')}？`;

/** Where a name is looked for, as the replies say it. */
export interface HouseholdPool {
  /** The reply when there is no household at all. */
  none: string;
  notFound: (spec: string, hint: string) => string;
  list: (names: string[]) => string;
  ambiguous: (spec: string) => string;
}

const LINKED: HouseholdPool = {
  none: NO_HOUSEHOLDS,
  notFound: (spec, hint) => `在您的联系户中未找到户主${quote(spec)}。${hint}`,
  list: (names) => `您的联系户有：${names.join('、')}。`,
  ambiguous: (spec) => `您有多个联系户叫“${spec}”，请回复序号选择：`,
};

const label = (h: LinkedHousehold) => `${h.householder}（${villageFromCounty(h.villageFullName)}）`;
const villageName = (h: LinkedHousehold) => h.villageFullName.split('/').pop() ?? '';

export function rankHouseholds(specIn: string, households: LinkedHousehold[]): Resolution<LinkedHousehold> {
  const spec = specIn.replace(/\s/gu, '');
  const tiers: ((h: LinkedHousehold) => boolean)[] = [
    (h) => h.householder === spec,
    (h) => {
      const v = villageName(h);
      return spec === `${v}${h.householder}` || spec === `${v.replace(/(村|社区)$/u, '')}${h.householder}`;
    },
    (h) => h.householder.startsWith(spec),
  ];
  if (looksLikeInitials(spec)) tiers.push((h) => initialsOf(h.householder) === spec.toLowerCase());
  for (const tier of tiers) {
    const hits = households.filter(tier);
    if (hits.length === 1) return { kind: 'found', item: hits[0] };
    if (hits.length > 1) return { kind: 'ambiguous', options: hits };
  }
  // names are at most 50 characters; a longer spec has no close name worth an edit-distance table
  return { kind: 'none', suggestions: [...spec].length > 50 ? [] : closest(spec, households, (h) => h.householder, 3) };
}

/**
 * The household a 走访 is about and the rest of the text as its note. The
 * name may be glued to the note (走访张三了解春耕): then the longest linked
 * 户主 name the text starts with is taken.
 */
export async function requireHousehold(env: CommandEnv, text: string): Promise<{ household: LinkedHousehold; note: string }> {
  return requireHouseholdAmong(env, text, await linkedHouseholds(env.manager, env.cadre.id, env.now), LINKED);
}

/** As requireHousehold, among the given households, with the pool's replies. */
export function requireHouseholdAmong(
  env: CommandEnv, text: string, households: LinkedHousehold[], pool: HouseholdPool,
): { household: LinkedHousehold; note: string } {
  const [spec, ...rest] = text.split(' ');
  const note = rest.join(' ');
  if (env.picked?.kind === 'household') {
    const h = households.find((x) => x.id === env.picked!.id);
    if (h) return { household: h, note };
  }
  if (households.length === 0) throw new ChatError(pool.none, 'no_households');
  const r = rankHouseholds(spec, households);
  if (r.kind === 'found') return { household: r.item, note };
  if (r.kind === 'ambiguous') {
    throw new NeedChoice('household', pool.ambiguous(spec), r.options.slice(0, 9).map((h) => ({ id: h.id, label: label(h) })));
  }
  const glued = households
    .filter((h) => spec.startsWith(h.householder))
    .sort((a, b) => b.householder.length - a.householder.length)[0];
  if (glued) return { household: glued, note: [spec.slice(glued.householder.length), ...rest].join(' ').trim() };
  const hint = r.suggestions.length
    ? SUGGEST(r.suggestions.map(label))
    : pool.list(households.slice(0, 10).map((h) => h.householder));
  throw new ChatError(pool.notFound(spec, hint), 'household_not_found');
}
