import { z } from 'zod';
import { Cadre, Region, Unit } from '../../entities';
import { openVisit } from '../../src/services/visits/village-checkins';
import { linkedVillages } from '../../src/services/people/links';
import { reportProblem } from '../../src/services/problems/ledger';
import { attachKeptToProblem } from '../../src/services/photos/attach';
import { formatDate } from '../../src/lib/time';
import { defineCommand, type CommandEnv } from '../command';
import { ChatError, NeedChoice } from '../errors';
import { requireVillage, resolveVillage } from '../resolve-village';
import { villageWithPlace } from '../text';
import { placeName } from '../../src/lib/place';

const NEED_TEXT = '请输入问题描述';
const NO_VILLAGE = '请注明问题所在的村，例如：上报 丁门村 村道塌方需修复';
const WHICH_VILLAGE = '您联系多个村，请回复序号选择问题所在的村：';
const RECORDED = (code: string, text: string, path: string, category: string, owner: string, deadline: string) =>
  `已登记问题 ${code}：${text}\n村：${path}\n类别：${category}\n责任人：${owner}\n整改期限：${deadline}\n整改后发送“销号 ${code} 整改说明”。`;
const NO_OWNER = '暂无联系单位（请双联办指定）';
const PHOTOS = (n: number) => `已附上您刚发送的照片${n}张。`;
const MAX_DESCRIPTION = 500;

/** The village: named first ("上报 丁门村 …"), else the open check-in's, else the sender's linked village. */
async function villageFor(env: CommandEnv, text: string): Promise<{ villageId: number; description: string }> {
  const [first, ...rest] = text.split(' ');
  if (rest.length > 0) {
    const r = await resolveVillage(env.manager, first, env.cadre, env.now, true);
    if (r.kind === 'found') return { villageId: r.item.id, description: rest.join(' ') };
    if (r.kind === 'ambiguous') return { villageId: (await requireVillage(env, first)).id, description: rest.join(' ') };
  }
  if (env.picked?.kind === 'village') return { villageId: env.picked.id, description: text };
  const linked = await linkedVillages(env.manager, env.cadre, env.now);
  // 上报丁门村村道塌方: one of my villages glued to the description
  const glued = linked.find((v) => text.startsWith(v.name) && text.length > v.name.length);
  if (glued) return { villageId: glued.id, description: text.slice(glued.name.length).trim() };
  const open = await openVisit(env.manager, env.cadre.id);
  if (open) return { villageId: open.villageId, description: text };
  const own = linked.filter((v) => v.viaUnit);
  const pool = own.length > 0 ? own : linked;
  if (pool.length === 1) return { villageId: pool[0].id, description: text };
  if (pool.length === 0) throw new ChatError(NO_VILLAGE, 'no_village');
  throw new NeedChoice('village', WHICH_VILLAGE, pool.slice(0, 9).map((v) => ({ id: v.id, label: villageWithPlace(v.fullName) })));
}

export default defineCommand({
  name: '上报',
  aliases: ['反映'],
  usage: '上报 [村名] [类别] 问题描述',
  summary: '登记问题台账（默认当前签到的村；类别可省略，按描述自动归类），例如：上报 丁门村 饮水安全 水管冻裂',
  args: z.string().min(1, NEED_TEXT).transform((text) => ({ text })),
  async handle({ text }, env) {
    const { villageId, description } = await villageFor(env, text);
    if ([...description].length > MAX_DESCRIPTION) throw new ChatError(`问题描述请不超过${MAX_DESCRIPTION}字。`, 'too_long');
    const p = await reportProblem(env.manager, { reporter: env.cadre, villageId, text: description, now: env.now });
    const village = await env.manager.getRepository(Region).findOneByOrFail({ id: villageId });
    const ownerCadre = p.ownerCadreId ? await env.manager.getRepository(Cadre).findOneBy({ id: p.ownerCadreId }) : null;
    const ownerUnit = p.ownerUnitId ? await env.manager.getRepository(Unit).findOneBy({ id: p.ownerUnitId }) : null;
    const owner = [ownerCadre?.name, ownerUnit ? `（${ownerUnit.name}）` : ''].filter(Boolean).join('') || NO_OWNER;
    // 拍照上报: pictures sent just before, with no record to go to, belong to this problem.
    const photos = await attachKeptToProblem(env.manager, { cadreId: env.cadre.id, problemId: p.id, now: env.now });
    const recorded = RECORDED(p.code, p.description, placeName(village.fullName), p.category, owner, formatDate(p.deadline, env.now));
    return photos > 0 ? `${recorded}\n${PHOTOS(photos)}` : recorded;
  },
});
