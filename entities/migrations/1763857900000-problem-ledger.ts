import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The problem ledger as a county runs it (docs/design.md §2):
 * - an undone (撤销) problem keeps its row and number with the status 'revoked' (已撤销);
 *   rows revoked before this migration get that status too;
 * - problem categories as data: names, the 两不愁三保障 group, and the keywords that
 *   set a category when a report names none. Existing problems keep their category.
 * The status check is added NOT VALID and validated afterwards, so a large table is
 * scanned without blocking writes.
 */
export class ProblemLedger1763857900000 implements MigrationInterface {
  name = 'ProblemLedger1763857900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE problems DROP CONSTRAINT IF EXISTS problems_status_check');
    await q.query(`UPDATE problems SET status = 'revoked' WHERE revoked_at IS NOT NULL AND status <> 'revoked'`);
    await q.query(`ALTER TABLE problems ADD CONSTRAINT problems_status_check CHECK (status IN ('open', 'closed', 'revoked')) NOT VALID`);
    await q.query('ALTER TABLE problems VALIDATE CONSTRAINT problems_status_check');
    await q.query(`
      CREATE TABLE problem_categories (
        name varchar(20) PRIMARY KEY,
        group_name varchar(20) NOT NULL DEFAULT '',
        keywords text[] NOT NULL DEFAULT '{}',
        position int NOT NULL,
        enabled boolean NOT NULL DEFAULT true
      )`);
    await q.query(
      `INSERT INTO problem_categories (name, group_name, keywords, position)
       SELECT name, group_name, ARRAY(SELECT jsonb_array_elements_text(keywords)), position
         FROM jsonb_to_recordset($1::jsonb) AS c(name text, group_name text, keywords jsonb, position int)`,
      [JSON.stringify(CATEGORIES.map(([name, group_name, keywords], i) => ({ name, group_name, keywords, position: (i + 1) * 10 })))],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE problem_categories');
    await q.query('ALTER TABLE problems DROP CONSTRAINT IF EXISTS problems_status_check');
    await q.query(`UPDATE problems SET status = 'open' WHERE status = 'revoked'`);
    await q.query(`ALTER TABLE problems ADD CONSTRAINT problems_status_check CHECK (status IN ('open', 'closed'))`);
  }
}

const POVERTY = '两不愁三保障';

/** Default categories in the order they are tried; keywords are matched as substrings of the description. */
const CATEGORIES: [string, string, string[]][] = [
  ['义务教育', POVERTY, ['辍学', '失学', '上学', '入学', '学费', '教育', '学校']],
  ['基本医疗', POVERTY, ['看病', '就医', '医疗', '医保', '住院', '大病', '慢性病', '卫生室', '药品']],
  ['住房安全', POVERTY, ['危房', '住房', '房屋', '漏雨', '墙体开裂']],
  ['饮水安全', POVERTY, ['饮水', '吃水', '自来水', '水窖', '水管', '水质']],
  ['基础设施', '', ['道路', '村道', '路面', '塌方', '路灯', '桥', '灌溉', '水渠', '排水', '电网', '停电', '网络']],
  ['产业发展', '', ['产业', '种植', '养殖', '合作社', '销路', '务工', '就业', '增收']],
  ['矛盾纠纷', '', ['纠纷', '矛盾', '争执', '吵架', '打架', '上访']],
  ['其他', '', []],
];
