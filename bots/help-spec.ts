import {
  HELP_KINDS, MONEY_KIND, amountYuanOf, cadreHelpCounts, helpKindOf, householdHelpCounts, type HelpKind,
} from '../src/services/aid/help-acts';
import type { Db } from '../src/lib/db';
import { ChatError } from './errors';
import { helpCountsText, yuan } from './help-text';

/**
 * A 六送 kind and its content as typed after a householder's name, read the
 * same way by 帮扶 (帮扶 张三 送资金 2000元 产业补助) and by a 走访 carrying a
 * help act (走访 张三 送技术 讲解种植), with the same refusals.
 */

export const HELP_USAGE = '帮扶 户主姓名 类别 内容';
const EXAMPLE = '例如：帮扶 张三 送资金 2000元 产业补助';
const KINDS = HELP_KINDS.join('、');
export const HELP_EXAMPLE = EXAMPLE;
export const NEED_KIND = `请在户主姓名后写帮扶类别（${KINDS}）。正确格式：${HELP_USAGE}，${EXAMPLE}`;
const BAD_KIND = (word: string) => `帮扶类别“${word}”无效，应为 ${KINDS}（可省略“送”字）。正确格式：${HELP_USAGE}，${EXAMPLE}`;
const NEED_NOTE = (kind: string) => `请写明${kind}的内容。正确格式：${HELP_USAGE}，${EXAMPLE}`;
const NEED_AMOUNT = `送资金请写明金额（元），${EXAMPLE}`;
const TOO_LONG = (max: number) => `帮扶内容请不超过${max}字。`;
const COUNTS = (household: string, mine: string) => `今年该户已获${household}；您今年共记录${mine}。`;
const MAX_NOTE = 500;

export interface HelpSpec {
  kind: HelpKind;
  note: string;
  amountYuan: number | null;
}

const GLUED = /^(送?(?:政策|项目|资金|技术|信息|温暖))(.*)$/su;
const STRIP = (t: string) => t.replace(/^[\s:：,，、]+/u, '');

/** The kind is the first word of the text after the name; 送资金2000元 may be glued. */
function splitKind(text: string): { kindWord: string; rest: string } {
  const t = STRIP(text);
  const glued = GLUED.exec(t);
  if (glued) return { kindWord: glued[1], rest: glued[2] };
  const [kindWord, ...rest] = t.split(' ');
  return { kindWord, rest: rest.join(' ') };
}

/** 帮扶: the kind and content, or a ChatError saying what is missing or wrong. */
export function requireHelpSpec(afterName: string): HelpSpec {
  const { kindWord, rest } = splitKind(afterName);
  if (kindWord === '') throw new ChatError(NEED_KIND, 'need_kind');
  const kind = helpKindOf(kindWord);
  if (!kind) throw new ChatError(BAD_KIND(kindWord.slice(0, 10)), 'bad_kind');
  const note = STRIP(rest).trim();
  if (note === '') throw new ChatError(NEED_NOTE(kind), 'need_note');
  if ([...note].length > MAX_NOTE) throw new ChatError(TOO_LONG(MAX_NOTE), 'too_long');
  const amountYuan = kind === MONEY_KIND ? amountYuanOf(note) : null;
  if (kind === MONEY_KIND && amountYuan === null) throw new ChatError(NEED_AMOUNT, 'need_amount');
  return { kind, note, amountYuan };
}

/**
 * A 走访 note that starts with a 六送 kind: with 送 it may be glued to the
 * content (送技术讲解种植); without 送 the kind must be a word of its own
 * (技术 讲解种植), so that a note like 信息采集 stays a plain visit. The kind may
 * follow 谈心 (谈心 送温暖 …). Null when the note names no kind; a named kind
 * is then read as 帮扶 reads it (content and 送资金's amount required).
 */
export function helpSpecInVisitNote(note: string): HelpSpec | null {
  let t = STRIP(note);
  if (t.startsWith('谈心')) t = STRIP(t.slice(2));
  const glued = GLUED.exec(t);
  if (!glued) return null;
  const own = glued[1].startsWith('送') || glued[2] === '' || /^[\s:：,，、]/u.test(glued[2]);
  return own ? requireHelpSpec(t) : null;
}

/** 送资金 2000元 / 送技术, as the replies name an act. */
export function helpKindLabel(spec: HelpSpec): string {
  return `${spec.kind}${spec.amountYuan === null ? '' : ` ${yuan(spec.amountYuan)}元`}`;
}

/** This year's acts for the household and by the cadre, as one reply line. */
export async function helpCountsLine(db: Db, householdId: number, cadreId: number, now: Date): Promise<string> {
  const forHousehold = await householdHelpCounts(db, householdId, now);
  const mine = await cadreHelpCounts(db, cadreId, now);
  return COUNTS(helpCountsText(forHousehold), helpCountsText(mine));
}
