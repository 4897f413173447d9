import { formatSummary } from '../../../src/cli/roster';
import type { ImportReport } from '../../../src/services/roster';

const base: ImportReport = {
  ok: true, dryRun: false, changed: false, regionsCreated: 0, sheets: [], errors: [], elapsedMs: 1234, timings: {},
};

describe('roster CLI summary', () => {
  test('bad rows: every error line, then that nothing was imported', () => {
    const text = formatSummary({
      ...base,
      ok: false,
      errors: [
        { source: 'households.csv', row: 17, reason: '联户干部账号 zhangsan 不在花名册中' },
        { source: 'cadres.csv', row: 0, reason: '花名册缺少 cadres.csv' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'households.csv:17: 联户干部账号 zhangsan 不在花名册中',
      'cadres.csv: 花名册缺少 cadres.csv',
      '共 2 处错误，未导入任何数据（用时 1.2 秒）。',
    ]);
  });

  test('an unchanged re-import says so', () => {
    const text = formatSummary({
      ...base,
      sheets: [{ kind: 'households', source: 'households.csv', rows: 3, created: 0, updated: 0, unchanged: 3, linksOpened: 0, linksClosed: 0, linksRedated: 0 }],
    });
    expect(text).toContain('农户（households.csv）：3 行，新增 0，更新 0，未变 3；联系开始 0，联系结束 0');
    expect(text).toContain('没有任何变化');
  });
});
