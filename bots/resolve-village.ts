import type { EntityManager } from 'typeorm';
import { linkedVillages } from '../src/services/people/links';
import { villageById, villageCandidates, villagesStartingWith } from '../src/services/people/village-search';
import type { CommandEnv } from './command';
import { ChatError, NeedChoice } from './errors';
import { closest, looksLikeInitials } from './fuzzy';
import { quote, villageWithPlace } from './text';

/**
 * Village names as people type them: exact name or alias, the name without
 * 村/社区, a unique prefix, pinyin initials, or qualified by county/township
 * (鸳鸯镇丁门村, 武山县/丁门村). Among several matches the sender's linked
 * villages win; otherwise the sender picks from a numbered list.
 */

const NOT_FOUND = (spec: string, hint: string) => `未找到村${spec}。${hint}`;
const SUGGEST = (names: string[]) => `您是不是要找：${names.join('、')}？`;
const NO_SUGGESTION = '请核对村名，或在村名前加上乡镇名，例如：鸳鸯镇丁门村。';
const AMBIGUOUS = (spec: string) => `“${spec}”对应多个村，请回复序号选择：`;
const MAX_OPTIONS = 9;
/** Longer than any county+township+village name: not looked up at all (keeps a pasted essay cheap). */
export const MAX_SPEC_CHARS = 40;

export interface VillageCandidate {
  id: number;
  name: string;
  fullName: string;
  aliases: string[];
  initials: string;
  linked: boolean;
  /** Linked through the sender's unit (联村), as far as the resolver knows; undefined when it did not look. */
  viaUnit?: boolean;
}

export type Resolution<T> =
  | { kind: 'found'; item: T }
  | { kind: 'ambiguous'; options: T[] }
  | { kind: 'none'; suggestions: T[] };

const SUFFIX = /(村|社区)$/u;
const bare = (name: string) => name.replace(SUFFIX, '') || name;

/** True when `rest` is made of the candidate's ancestor names in order (each with or without its 市/县/区/镇/乡 suffix). */
function ancestorsMatch(rest: string, fullName: string): boolean {
  const ancestors = fullName.split('/').slice(0, -1);
  let r = rest;
  for (const a of ancestors) {
    if (r.startsWith(a)) r = r.slice(a.length);
    else if (a.length > 2 && r.startsWith(a.slice(0, -1))) r = r.slice(a.length - 1);
  }
  return r === '';
}

function exactly(spec: string, c: VillageCandidate): boolean {
  return c.name === spec || c.aliases.includes(spec) || bare(c.name) === spec;
}

function qualified(spec: string, c: VillageCandidate): boolean {
  for (const form of [c.name, bare(c.name), ...c.aliases]) {
    if (spec.length > form.length && spec.endsWith(form) && ancestorsMatch(spec.slice(0, -form.length), c.fullName)) return true;
  }
  return false;
}

/** Ranks candidates for a spec; `strict` allows only exact and qualified names (no prefix, no initials). */
export function rankVillages(specIn: string, candidates: VillageCandidate[], strict = false): Resolution<VillageCandidate> {
  const spec = specIn.replace(/[/／\s]/gu, '');
  const tiers: ((c: VillageCandidate) => boolean)[] = [
    (c) => exactly(spec, c) || qualified(spec, c),
  ];
  if (!strict) {
    tiers.push((c) => c.name.startsWith(spec) || c.aliases.some((a) => a.startsWith(spec)));
    if (looksLikeInitials(spec)) tiers.push((c) => c.initials === spec.toLowerCase());
  }
  for (const tier of tiers) {
    // In id order, so a numbered list is the same every time it is asked for.
    const hits = dedupe(candidates.filter(tier)).sort((a, b) => a.id - b.id);
    if (hits.length === 1) return { kind: 'found', item: hits[0] };
    if (hits.length > 1) {
      const linked = hits.filter((c) => c.linked);
      if (linked.length === 1) return { kind: 'found', item: linked[0] };
      return { kind: 'ambiguous', options: [...linked, ...hits.filter((c) => !c.linked)] };
    }
  }
  return { kind: 'none', suggestions: closest(bare(spec), dedupe(candidates), (c) => bare(c.name), 3, (c) => (c.linked ? 0 : 1)) };
}

function dedupe(cs: VillageCandidate[]): VillageCandidate[] {
  const seen = new Set<number>();
  return cs.filter((c) => !seen.has(c.id) && seen.add(c.id));
}

/**
 * Loads every village the spec could mean, plus the sender's linked villages,
 * then ranks them. Each branch is an index probe (see the chat-lookups migration).
 */
export async function resolveVillage(
  manager: EntityManager, spec: string, cadre: { id: number; unitId: number | null }, now: Date, strict = false,
): Promise<Resolution<VillageCandidate>> {
  const s = spec.replace(/[/／\s]/gu, '');
  const chars = [...s];
  if (chars.length > MAX_SPEC_CHARS) return { kind: 'none', suggestions: [] };
  const tails = chars.map((_, i) => chars.slice(i).join(''));
  const forms = [...tails, ...tails.map((t) => `${t}村`), ...tails.map((t) => `${t}社区`)];
  const linked = await linkedVillages(manager, cadre, now);
  const linkedIds = new Set(linked.map((v) => v.id));
  const viaUnit = new Set(linked.filter((v) => v.viaUnit).map((v) => v.id));
  const withLinked = (rows: Omit<VillageCandidate, 'linked'>[]) =>
    rows.map((r) => ({ ...r, linked: linkedIds.has(r.id), viaUnit: viaUnit.has(r.id) }));
  const rows = await villageCandidates(manager, { forms, prefix: s, linkedIds: [...linkedIds], strict });
  const result = rankVillages(s, withLinked(rows), strict);
  if (result.kind !== 'none' || strict || !s) return result;
  // Nothing matched: villages starting with one of the spec's first characters, for suggestions only.
  const starts = [...new Set(bare(s))].slice(0, 4);
  const near = await villagesStartingWith(manager, starts);
  const all = dedupe(withLinked([...rows.filter((r) => linkedIds.has(r.id)), ...near]));
  return { kind: 'none', suggestions: closest(bare(s), all, (c) => bare(c.name), 3, (c) => (c.linked ? 0 : 1)) };
}

/**
 * The village a command is about, or a thrown NeedChoice (numbered list) or
 * ChatError (未找到 with suggestions). A pending pick answers directly.
 */
export async function requireVillage(env: CommandEnv, spec: string): Promise<VillageCandidate> {
  if (env.picked?.kind === 'village') {
    const row = await villageById(env.manager, env.picked.id);
    if (row) return { ...row, linked: false };
  }
  const r = await resolveVillage(env.manager, spec, env.cadre, env.now);
  if (r.kind === 'found') return r.item;
  if (r.kind === 'ambiguous') {
    throw new NeedChoice('village', AMBIGUOUS(spec.slice(0, MAX_SPEC_CHARS)),
      r.options.slice(0, MAX_OPTIONS).map((o) => ({ id: o.id, label: villageWithPlace(o.fullName) })));
  }
  const hint = r.suggestions.length ? SUGGEST(r.suggestions.map((s) => villageWithPlace(s.fullName))) : NO_SUGGESTION;
  throw new ChatError(NOT_FOUND(quote(spec), hint), 'village_not_found');
}
