import { Region } from '../entities';
import { placeName } from '../src/lib/place';
import { contains, findRegionsByScope } from '../src/services/people/regions';
import type { CommandEnv } from './command';
import { ChatError, NeedChoice } from './errors';

/** A leader's 范围: empty = their own scope; otherwise a region inside it. */

const NO_SCOPE = '您的账号没有设置管辖范围，请联系双联办在花名册中补充。';
const NOT_FOUND = (s: string) => `未找到范围“${s}”。请输入市、县区或乡镇名，例如：武山县、鸳鸯镇。`;
const OUTSIDE = (s: string, mine: string) => `“${s}”不在您的管辖范围（${mine}）内。`;
const AMBIGUOUS = (s: string) => `“${s}”对应多个地方，请回复序号选择：`;

/** 甘肃省/天水市/武山县 → 天水市武山县 (全省 for the province itself). */
export function scopeLabel(r: Pick<Region, 'fullName' | 'parentId'>): string {
  return r.parentId === null ? '全省' : placeName(r.fullName);
}

/** Suffixes people leave off: 武山 → 武山县, 鸳鸯 → 鸳鸯镇. */
const SUFFIXES = ['县', '区', '市', '镇', '乡'];

async function findScope(env: CommandEnv, text: string): Promise<Region[]> {
  const found = await findRegionsByScope(env.manager, text);
  if (found.length > 0) return found;
  for (const suffix of SUFFIXES) {
    const withSuffix = await findRegionsByScope(env.manager, `${text}${suffix}`);
    if (withSuffix.length > 0) return withSuffix;
  }
  return [];
}

export async function requireScope(env: CommandEnv, text: string): Promise<Region> {
  const repo = env.manager.getRepository(Region);
  const mine = env.cadre.scopeRegionId === null ? null : await repo.findOneBy({ id: env.cadre.scopeRegionId });
  if (!mine) throw new ChatError(NO_SCOPE, 'no_scope');
  if (env.picked?.kind === 'scope') {
    const r = await repo.findOneBy({ id: env.picked.id });
    if (r && contains(mine, r)) return r;
  }
  if (!text) return mine;
  const found = await findScope(env, text);
  if (found.length === 0) throw new ChatError(NOT_FOUND(text), 'scope_not_found');
  const inside = found.filter((r) => contains(mine, r));
  if (inside.length === 0) throw new ChatError(OUTSIDE(text, scopeLabel(mine)), 'scope_outside');
  if (inside.length === 1) return inside[0];
  throw new NeedChoice('scope', AMBIGUOUS(text), inside.slice(0, 9).map((r) => ({ id: r.id, label: scopeLabel(r) })));
}
