import type { OutboundMessage } from '../outbox/write';

/**
 * Reminders as text-notice cards (模板卡片 text_notice; docs/wecom.md §8): a
 * heading, a one-line summary and the items, and the whole card opens a page
 * of the app (its card_action URL, built from the app's external URL, never
 * from a request). Such a card neither calls back nor needs a task id. The
 * text it replaces rides along as the fallback that the same outbox row sends
 * when WeCom refuses the card type (jobs/outbox-deliver.ts).
 */

const SOURCE = '双联助手';
/** WeCom advises at most 160 characters of sub_title_text on a text_notice card; the page holds the rest. */
const SUB_TITLE_CHARS = 160;

export interface LinkCardInput {
  /** The card's title, e.g. 五必访逾期提醒. */
  title: string;
  /** One line under the title. */
  summary: string;
  /** The items, one per line, shortened to fit. */
  lines: string[];
  /** The page the card opens. */
  url: string;
  /** The text message the card replaces (and becomes again when WeCom refuses cards). */
  fallbackText: string;
}

/** The H5 check-in page (src/routes/h5.ts), where a visit is recorded from the phone. */
export function checkinPageUrl(publicUrl: string): string {
  return `${publicUrl}/h5/checkin`;
}

/** The console's problem ledger, opened at one problem when given (public/console/ledger.js). */
export function problemPageUrl(publicUrl: string, problemId?: number): string {
  return `${publicUrl}/console#tab=ledger${problemId ? `&problem=${problemId}` : ''}`;
}

export function linkCardMessage(key: string, to: string[] | string, input: LinkCardInput): OutboundMessage {
  return {
    key, channel: 'app', to,
    payload: {
      msgtype: 'template_card',
      template_card: {
        card_type: 'text_notice',
        source: { desc: SOURCE },
        main_title: { title: input.title, desc: input.summary },
        sub_title_text: shorten(input.lines.join('\n'), SUB_TITLE_CHARS),
        card_action: { type: 1, url: input.url },
      },
      fallback: { msgtype: 'text', text: { content: input.fallbackText } },
    },
  };
}

function shorten(text: string, chars: number): string {
  const cs = [...text];
  return cs.length <= chars ? text : `${cs.slice(0, chars - 1).join('')}…`;
}
