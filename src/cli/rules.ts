import 'reflect-metadata';
import { loadCliConfig, runCli } from './common';
import { isAppError } from '../lib/errors';
import { openDatabase } from '../../entities/data-source';
import { listFestivals, listRules, parseRuleValue, setFestival, setRule } from '../services/rules/rules-admin';
import { loadCategories, setCategory } from '../services/problems/categories';
import { shanghaiYear } from '../lib/time';

/**
 * `npm run rules -- list | set <key> <value> | festivals | festival <name> <remind_days_before|enabled> <value>
 *   | categories | category <name> <keywords|group|enabled> <value>`:
 * lists and changes policy rules, festivals and problem categories, validated, with their Chinese labels.
 * Schedule changes take effect when the worker restarts. Exit 0 done, 1 failed, 2 bad usage or value.
 */

const USAGE = [
  'usage: npm run rules -- list',
  '       npm run rules -- set <key> <value>          e.g. set village.days_per_year 30, set schedule.digest "0 20 * * *"',
  '       npm run rules -- festivals',
  '       npm run rules -- festival <名称> <remind_days_before|enabled> <value>',
  '       npm run rules -- categories',
  '       npm run rules -- category <名称> <keywords|group|enabled> <value>   e.g. category 饮水安全 keywords 饮水、吃水、水窖 (a new name adds a category)',
].join('\n');

const CATEGORY_HEAD = ['类别', '分组', '关键词', '启用'];
const CATEGORY_FIELDS = ['keywords', 'group', 'enabled'];

const FESTIVAL_HEAD = ['节日', '历法', '月', '日', '提前提醒(天)', '启用'];

async function run(argv: string[], out: (s: string) => void): Promise<number> {
  const [cmd, ...args] = argv;
  const known = (cmd === 'list' && args.length === 0) || (cmd === 'set' && args.length === 2)
    || (cmd === 'festivals' && args.length === 0) || (cmd === 'festival' && args.length === 3
      && (args[1] === 'remind_days_before' || args[1] === 'enabled'))
    || (cmd === 'categories' && args.length === 0) || (cmd === 'category' && args.length === 3 && CATEGORY_FIELDS.includes(args[1]));
  if (!known) {
    out(USAGE);
    return 2;
  }
  const config = loadCliConfig();
  const db = await openDatabase({ url: config.databaseUrl, applicationName: 'shuanglian-rules' });
  try {
    const now = new Date();
    if (cmd === 'list') {
      for (const r of await listRules(db)) out(`${r.key.padEnd(34)} ${JSON.stringify(r.value).padEnd(20)} ${r.label}`);
    } else if (cmd === 'set') {
      const r = await setRule(db, args[0], args[1], now);
      out(`${r.key} = ${JSON.stringify(r.value)}  (${r.label})`);
      if (r.key.startsWith('schedule.')) out('schedule changes take effect when the worker restarts');
    } else if (cmd === 'festivals') {
      const y = shanghaiYear(now);
      out([...FESTIVAL_HEAD, `${y}`, `${y + 1}`].join('\t'));
      for (const f of await listFestivals(db, [y, y + 1])) {
        out([f.name, f.calendar === 'lunar' ? '农历' : '公历', f.month, f.day, f.remindDaysBefore, f.enabled ? '是' : '否',
          ...f.dates].join('\t'));
      }
    } else if (cmd === 'categories') {
      out(CATEGORY_HEAD.join('\t'));
      for (const c of await loadCategories(db, true)) out([c.name, c.groupName, c.keywords.join('、'), c.enabled ? '是' : '否'].join('\t'));
    } else if (cmd === 'category') {
      const field = args[1] as 'keywords' | 'group' | 'enabled';
      const value = field === 'keywords' ? parseRuleValue('category keywords', [], args[2])
        : field === 'enabled' ? parseRuleValue('category enabled', true, args[2]) : args[2].trim();
      await setCategory(db, args[0], field, value as string | string[] | boolean);
      out(`${args[0]} ${field} = ${JSON.stringify(value)}`);
    } else {
      await setFestival(db, args[0], args[1] as 'remind_days_before' | 'enabled', args[2]);
      out(`${args[0]} ${args[1]} = ${args[2]}`);
    }
    return 0;
  } catch (e) {
    if (!isAppError(e)) throw e;
    out(`${e.message} — ${e.userMessage}`);
    return 2;
  } finally {
    await db.destroy();
  }
}

runCli(module, (argv) => run(argv, (s) => process.stdout.write(`${s}\n`)), {
  describe: (e) => `rules failed: ${(e as Error).stack ?? String(e)}`,
});
