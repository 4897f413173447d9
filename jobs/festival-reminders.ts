import { loadFestivals, remindingOn, type FestivalOn } from '../src/services/rules/festivals';
import { addToOutbox, textMessage, type OutboundMessage } from '../src/services/outbox/write';
import { allGroupIds, claimFestivalRecipients } from '../src/services/notices/recipients';
import { inTransaction, type JobDeps, type JobSummary } from '../src/services/jobs/job-runs';
import { formatDate, shanghaiDate } from '../src/lib/time';

/**
 * 重要节日必到: from remind_days_before days before each enabled festival until
 * the day before it, every active cadre linked to a village (through their
 * unit's 联村 link or a household) is reminded to visit, once per festival
 * occurrence (festival_reminders), so a run later in the window catches up on
 * a missed one and on cadres linked since; every group (groups table) gets one
 * robot message per occurrence (its outbox key).
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
    summary[f.name] = await inTransaction(deps, 'festival-reminders', async (manager) => {
      const cadres = await claimFestivalRecipients(manager, f, today, now);
      const groups = await allGroupIds(manager);
      const messages: OutboundMessage[] = [
        // Each cadre is reminded once (festival_reminders), so the run's time keeps keys unique.
        textMessage(`festival:${f.date}:${f.name}:${now.toISOString()}`, cadres, CADRE_TEXT(f)),
        ...groups.map((id) => ({
          key: `festival:${f.date}:${f.name}:group:${id}`, channel: 'robot' as const, to: String(id),
          payload: { msgtype: 'text' as const, text: { content: GROUP_TEXT(f) } },
        })),
      ];
      const outboxIds = await addToOutbox(manager, messages);
      return { summary: { date: f.date, cadres: cadres.length, queued: outboxIds.length }, outboxIds };
    });
  }
  return summary;
}
