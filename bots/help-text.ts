import type { HelpCounts } from '../src/services/aid/help-acts';

/** 六送 counts as cadres and leaders read them: 帮扶3次（送政策1次、送资金2次，共2500元）. */
export function helpCountsText(c: HelpCounts): string {
  if (c.acts === 0) return '帮扶0次';
  const kinds = c.byKind.map((k) => `${k.kind}${k.acts}次`).join('、');
  return `帮扶${c.acts}次（${kinds}${c.amountYuan > 0 ? `，资金共${yuan(c.amountYuan)}元` : ''}）`;
}

/** 2000 → "2000", 1500.5 → "1500.5". */
export function yuan(n: number): string {
  return String(Math.round(n * 100) / 100);
}
