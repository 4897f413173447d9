import { z } from 'zod';
import { Region } from '../../entities';
import {
  DEFAULT_INSPECTION_KIND, inspectionBlockLabel, recordInspection, type InspectionKind,
} from '../../src/services/inspections/inspections';
import { contains } from '../../src/services/people/regions';
import { formatShanghai, shanghaiDate } from '../../src/lib/time';
import { defineCommand, type CommandEnv } from '../command';
import { ChatError, NeedChoice } from '../errors';
import { requireVillage, resolveVillage } from '../resolve-village';
import { scopeLabel } from '../resolve-scope';
import { villageWithPlace } from '../text';
import { placeName } from '../../src/lib/place';

/** 督查 村名 [明察暗访|集中督查] 情况: a leader's inspection of a village in their scope. */

const USAGE = '督查 村名 [明察暗访/集中督查] 情况';
const EXAMPLE = '例如：督查 丁门村 明察暗访 工作队在岗，台账齐全';
const NEED_VILLAGE = '请输入村名';
const NEED_NOTE = `请写明督查情况。正确格式：${USAGE}，${EXAMPLE}`;
const NO_SCOPE = '您的账号没有设置管辖范围，请联系双联办在花名册中补充。';
const OUTSIDE = (village: string, scope: string) => `${village}不在您的管辖范围（${scope}）内，不能记录督查。`;
const TOO_LONG = (max: number) => `督查情况请不超过${max}字。`;
const RECORDED = (place: string, kind: string, time: string, note: string) =>
  `已记录督查：${place}\n方式：${kind}\n时间：${time}\n情况：${note}`;
const COUNT = (block: string, kind: string, n: number) => `该村${block}已${kind}${n}次。`;
const AMBIGUOUS = (spec: string) => `您管辖范围内有多个“${spec}”，请回复序号选择：`;
const MAX_NOTE = 1000;

/** The words that name a kind, as people shorten them. */
const KIND_WORDS: Record<string, InspectionKind> = {
  明察暗访: '明察暗访', 暗访: '明察暗访', 明查暗访: '明察暗访', 集中督查: '集中督查', 集中: '集中督查',
};

/**
 * The village named: among namesakes, those in the leader's scope win (a leader
 * is linked to none); several there are a numbered list of those only.
 */
async function villageInScope(env: CommandEnv, spec: string, scope: Region): Promise<number> {
  if (env.picked?.kind !== 'village') {
    const r = await resolveVillage(env.manager, spec, env.cadre, env.now);
    const inside = r.kind === 'ambiguous' ? r.options.filter((o) => o.fullName.startsWith(`${scope.fullName}/`)) : [];
    if (inside.length === 1) return inside[0].id;
    if (inside.length > 1) {
      throw new NeedChoice('village', AMBIGUOUS(spec), inside.slice(0, 9).map((o) => ({ id: o.id, label: villageWithPlace(o.fullName) })));
    }
  }
  return (await requireVillage(env, spec)).id;
}

export default defineCommand({
  name: '督查',
  aliases: ['督察'],
  usage: USAGE,
  summary: `记录督查（默认${DEFAULT_INSPECTION_KIND}），例如：督查 丁门村 暗访 工作队在岗`,
  leaderOnly: true,
  args: z.string().min(1, NEED_VILLAGE).transform((text) => ({ text })),
  async handle({ text }, env) {
    const [spec, ...words] = text.split(' ');
    const named = KIND_WORDS[words[0] ?? ''];
    const kind = named ?? DEFAULT_INSPECTION_KIND;
    const note = (named ? words.slice(1) : words).join(' ').trim();
    if (note === '') throw new ChatError(NEED_NOTE, 'need_note');
    if ([...note].length > MAX_NOTE) throw new ChatError(TOO_LONG(MAX_NOTE), 'too_long');
    const regions = env.manager.getRepository(Region);
    const scope = env.cadre.scopeRegionId === null ? null : await regions.findOneBy({ id: env.cadre.scopeRegionId });
    if (!scope) throw new ChatError(NO_SCOPE, 'no_scope');
    const village = await regions.findOneByOrFail({ id: await villageInScope(env, spec, scope) });
    if (!contains(scope, village)) throw new ChatError(OUTSIDE(placeName(village.fullName), scopeLabel(scope)), 'scope_outside');
    const r = await recordInspection(env.manager, {
      cadreId: env.cadre.id, villageId: village.id, kind, note, now: env.now, today: shanghaiDate(env.now) });
    return [RECORDED(placeName(village.fullName), kind, formatShanghai(env.now), note), COUNT(inspectionBlockLabel(r.months), kind, r.inBlock)].join('\n');
  },
});
