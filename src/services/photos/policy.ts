import type { EntityManager } from 'typeorm';
import { AppError } from '../../lib/errors';
import { countProblemPhotos } from './attach';

/**
 * The rule that a 销号 needs photo evidence, per problem category
 * (policy_rules 'problem.photo_required_categories': a JSON list of
 * categories, '全部' for every category; default []). Enforced by
 * closeProblem, so the chat and the console refuse alike.
 */

export const PHOTO_RULE_KEY = 'problem.photo_required_categories';
export const ALL_CATEGORIES = '全部';

const NEEDS_PHOTO = (code: string) =>
  `问题 ${code} 销号须附整改照片。请先发送照片，再发送“附图 ${code}”，然后销号。`;

export async function photoRequiredCategories(manager: EntityManager): Promise<string[]> {
  const rows: { value: unknown }[] = await manager.query('SELECT value FROM policy_rules WHERE key = $1', [PHOTO_RULE_KEY]);
  const v = rows[0]?.value;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Throws a 409 AppError (shown to the user as is) when the problem needs a photo and has none. */
export async function assertCloseEvidence(
  manager: EntityManager,
  problem: { id: number; code: string; category: string },
): Promise<void> {
  const categories = await photoRequiredCategories(manager);
  if (!categories.includes(ALL_CATEGORIES) && !categories.includes(problem.category)) return;
  if ((await countProblemPhotos(manager, problem.id)) > 0) return;
  throw new AppError('photo_required', `problem ${problem.id} needs a photo to close`, NEEDS_PHOTO(problem.code), 409);
}
