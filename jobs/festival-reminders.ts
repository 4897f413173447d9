import { loadFestivals, remindingOn, type FestivalOn } from '../src/services/rules/festivals';
import { addToOutbox, type OutboundMessage } from '../src/services/outbox/write';
import { checkinPageUrl, linkCardMessage } from '../src/services/notices/link-cards';
import { robotMarkdownMessage } from '../src/services/notices/robot-markdown';
import { allGroupIds, claimFestivalRecipients } from '../src/services/notices/recipients';
import { inTransaction, type JobSummary, type LinkJobDeps } from '../src/services/jobs/job-runs';
import { formatDate, shanghaiDate } from '../src/lib/time';

/**
 * 重要节日必到: from remind_days_before days before each enabled festival until
 * the day before it, every active cadre linked to a village (through their
 * unit's 联村 link or a household) is reminded to visit, once per festival
 * occurrence (festival_reminders), so a run later in the window catches up on
 * a missed one and on cadres linked since; every group (groups table) gets one
 * robot message per occurrence (its outbox key). Cadres get a text-notice card
 * that opens the H5 check-in page (text when WeCom refuses cards).
 */

const CADRE_TITLE = '重要节日必到';
const CADRE_SUMMARY = (f: FestivalOn) => `${f.name}（${formatDate(f.date)}）将至`;
const CADRE_ASK = '请在节前走访您的联系户，送上节日问候，了解生产生活困难。';
const CADRE_TAIL = '走访后回复“走访 户主姓名 内容”记录。';
const CADRE_TEXT = (f: FestivalOn) => `【${CADRE_TITLE}】${CADRE_SUMMARY(f)}，${CADRE_ASK}${CADRE_TAIL}`;
const GROUP_TITLE = '重要节日必到';
const GROUP_TEXT = (f: FestivalOn) => `${f.name}（${formatDate(f.date)}）将至，请各位联户干部节前走访联系户，做到重要节日必到。`;
const GROUP_ASK = '走访后请在企业微信“双联助手”应用中发送“走访 户主 内容”记录，在群里回复不计入。';

export async function runFestivalReminders(deps: LinkJobDeps, now: Date): Promise<JobSummary> {
  const today = shanghaiDate(now);
  const due = remindingOn(await loadFestivals(deps.db), today);
  const summary: JobSummary = { festivals: due.map((f) => f.name) };
  for (const f of due) {
    summary[f.name] = await inTransaction(deps, 'festival-reminders', async (manager) => {
      const cadres = await claimFestivalRecipients(manager, f, today, now);
      const groups = await allGroupIds(manager);
      const messages: OutboundMessage[] = [
        // Each cadre is reminded once (festival_reminders), so the run's time keeps keys unique.
        linkCardMessage(`festival:${f.date}:${f.name}:${now.toISOString()}`, cadres, {
          title: CADRE_TITLE, summary: CADRE_SUMMARY(f), lines: [CADRE_ASK, CADRE_TAIL],
          url: checkinPageUrl(deps.publicUrl), fallbackText: CADRE_TEXT(f),
        }),
        ...groups.map((id) => robotMarkdownMessage(`festival:${f.date}:${f.name}:group:${id}`, id, {
          title: GROUP_TITLE, body: GROUP_TEXT(f), ask: GROUP_ASK,
        })),
      ];
      const outboxIds = await addToOutbox(manager, messages);
      return { summary: { date: f.date, cadres: cadres.length, queued: outboxIds.length }, outboxIds };
    });
  }
  return summary;
}
