import { AppError } from '../../lib/errors';
import type { Db } from '../../lib/db';

/**
 * Problem categories as data (problem_categories; docs/design.md §2): a report
 * names one right before its description (上报 [村] [类别] 描述), else the first
 * category in `position` order with a keyword in the description is taken, else
 * 其他. Admins edit them with `npm run rules -- categories | category …`.
 */

export const FALLBACK_CATEGORY = '其他';

export interface ProblemCategoryRow {
  name: string;
  groupName: string;
  keywords: string[];
  enabled: boolean;
}

export async function loadCategories(db: Db, includeDisabled = false): Promise<ProblemCategoryRow[]> {
  return db.query(
    `SELECT name, group_name AS "groupName", keywords, enabled FROM problem_categories
      WHERE enabled OR $1 ORDER BY position, name`, [includeDisabled]);
}

/** "饮水安全 水管冻裂" or "饮水安全：水管冻裂" → the named category and the rest; null when the text names none. */
export function explicitCategory(text: string, categories: Pick<ProblemCategoryRow, 'name'>[]): { category: string; rest: string } | null {
  for (const { name } of categories) {
    if (!text.startsWith(name)) continue;
    const rest = text.slice(name.length);
    if (rest === '' || /^[\s:：,，、]/u.test(rest)) return { category: name, rest: rest.replace(/^[\s:：,，、]+/u, '') };
  }
  return null;
}

/** The first category with a keyword in the text, else 其他. */
export function inferCategory(text: string, categories: Pick<ProblemCategoryRow, 'name' | 'keywords'>[]): string {
  return categories.find((c) => c.keywords.some((k) => k !== '' && text.includes(k)))?.name ?? FALLBACK_CATEGORY;
}

/** The category a report's text gives and its description without an explicit category name. */
export async function categorize(db: Db, text: string): Promise<{ category: string; description: string }> {
  const categories = await loadCategories(db);
  const named = explicitCategory(text, categories);
  if (named) return { category: named.category, description: named.rest };
  return { category: inferCategory(text, categories), description: text };
}

/** Throws a 400 (shown to the user) unless `name` is an enabled category. */
export async function requireCategory(db: Db, name: string): Promise<void> {
  const rows: unknown[] = await db.query('SELECT 1 FROM problem_categories WHERE name = $1 AND enabled', [name]);
  if (rows.length === 0) throw new AppError('unknown_category', `no enabled problem category ${name}`, `没有“${name}”这个问题类别。`, 400);
}

/**
 * Admin edit (`npm run rules -- category <名称> keywords|group|enabled <值>`): a new
 * name adds a category before 其他. Keywords are a list (、 or , separated; 无 for none).
 */
export async function setCategory(
  db: Db, name: string, field: 'keywords' | 'group' | 'enabled', value: string | string[] | boolean,
): Promise<void> {
  if ([...name].length > 20 || name.trim() === '') {
    throw new AppError('bad_category', `category name must be 1–20 characters: ${name}`, '类别名称须为1到20个字');
  }
  await db.query(
    `INSERT INTO problem_categories (name, position)
     SELECT $1, coalesce((SELECT max(position) FROM problem_categories WHERE name <> $2), 0) + 1
     ON CONFLICT (name) DO NOTHING`, [name, FALLBACK_CATEGORY]);
  await db.query(`UPDATE problem_categories SET position = (SELECT max(position) + 1 FROM problem_categories) WHERE name = $1`, [FALLBACK_CATEGORY]);
  const column = field === 'keywords' ? 'keywords' : field === 'group' ? 'group_name' : 'enabled';
  await db.query(`UPDATE problem_categories SET ${column} = $2 WHERE name = $1`, [name, value]);
}
