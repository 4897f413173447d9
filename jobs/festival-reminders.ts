import { loadFestivals, remindingOn, type FestivalOn } from '../src/services/rules/festivals';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { formatDate, shanghaiDate } from '../src/lib/time';
import { oncePerPeriod, type JobDeps, type JobSummary } from './deps';

/**
 * 重要节日必到: remind_days_before days before each enabled festival, every
 * cadre with linked households is reminded to visit them (one message to all,
 * split by the outbox at 1,000 recipients), and every group (groups table)
 * gets one robot message. Once per festival occurrence.
 */

const CADRE_TEXT = (f: FestivalOn) =>
  `【重要节日必到】${f.name}（${formatDate(f.date)}）将至，请在节前走访您的联系户，送上节日问候，了解生产生活困难。` +
  '走访后回复“走访 户主姓名 内容”记录。';
const GROUP_TEXT = (f: FestivalOn) =>
  `【重要节日必到】${f.name}（${formatDate(f.date)}）将至，请各位联户干部节前走访联系户，做到重要节日必到。`;

export async function runFestivalReminders(deps: JobDeps, now: Date): Promise<JobSummary> {
  const today = shanghaiDate(now);
  const due = remindingOn(await loadFestivals(deps.db), today);
  const summary: JobSummary = { festivals: due.map((f) => f.name) };
  for (const f of due) {
    summary[f.name] = await oncePerPeriod(deps, 'festival-reminders', `${f.date}:${f.name}`, now, async (manager) => {
      const cadres: { userid: string }[] = await manager.query(
        `SELECT c.userid FROM cadres c WHERE c.active AND EXISTS (
           SELECT 1 FROM cadre_household_links l WHERE l.cadre_id = c.id
              AND l.valid_from <= $1::date AND (l.valid_to IS NULL OR l.valid_to > $1::date))
         ORDER BY c.id`, [today]);
      const groups: { id: number }[] = await manager.query('SELECT id FROM groups ORDER BY id');
      const messages: OutboundMessage[] = [
        textMessage(`festival:${f.date}:${f.name}`, cadres.map((c) => c.userid), CADRE_TEXT(f)),
        ...groups.map((g) => ({
          key: `festival:${f.date}:${f.name}:group:${g.id}`, channel: 'robot' as const, to: String(g.id),
          payload: { msgtype: 'text' as const, text: { content: GROUP_TEXT(f) } },
        })),
      ];
      const outboxIds = await addToOutbox(manager, messages);
      return { summary: { date: f.date, cadres: cadres.length, groups: groups.length, queued: outboxIds.length }, outboxIds };
    });
  }
  return summary;
}
