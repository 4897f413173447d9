import { createTestDb, type TestDb } from '../../support/db';
import { categorize, loadCategories, setCategory } from '../../../src/services/problems/categories';

/** Problem categories as data, edited as `npm run rules -- category …` does. */

let t: TestDb;
beforeAll(async () => { t = await createTestDb(); });
afterAll(() => t.drop());

it('edits keywords, adds a category before 其他, and disables one', async () => {
  await setCategory(t.db, '饮水安全', 'keywords', ['饮水', '人畜饮水']);
  expect(await categorize(t.db, '人畜饮水工程停水')).toEqual({ category: '饮水安全', description: '人畜饮水工程停水' });
  expect(await categorize(t.db, '水窖渗漏')).toEqual({ category: '其他', description: '水窖渗漏' });

  await setCategory(t.db, '生态环境', 'keywords', ['垃圾', '污水']);
  const names = (await loadCategories(t.db)).map((c) => c.name);
  expect(names.slice(-2)).toEqual(['生态环境', '其他']);
  expect(await categorize(t.db, '生态环境 河道垃圾堆积')).toEqual({ category: '生态环境', description: '河道垃圾堆积' });

  await setCategory(t.db, '生态环境', 'enabled', false);
  expect(await categorize(t.db, '河道垃圾堆积')).toEqual({ category: '其他', description: '河道垃圾堆积' });
  await expect(setCategory(t.db, '', 'keywords', [])).rejects.toMatchObject({ code: 'bad_category' });
});
