import { demoUrlLines } from '../../../src/demo/links';

/** The start-up lines of a demo server: one per page, the demo's own token linked, an operator's never printed. */

test('with the demo token, the dashboard line carries it', () => {
  expect(demoUrlLines({ publicUrl: 'http://127.0.0.1:3000', adminToken: 'demo-admin-token' })).toEqual([
    '双联助手 demo: http://127.0.0.1:3000/  首页',
    '双联助手 demo: http://127.0.0.1:3000/demo  模拟企业微信聊天',
    '双联助手 demo: http://127.0.0.1:3000/console  控制台',
    '双联助手 demo: http://127.0.0.1:3000/h5/checkin  H5签到',
    '双联助手 demo: http://127.0.0.1:3000/admin/queues?token=demo-admin-token  任务面板（链接已带演示管理令牌 demo-admin-token。）',
  ]);
});

test('a token the operator set is not printed: the line says the dashboard needs it', () => {
  const lines = demoUrlLines({ publicUrl: 'https://demo.example.cn', adminToken: 'operator-secret-1' });
  expect(lines.at(-1)).toBe('双联助手 demo: https://demo.example.cn/admin/queues  任务面板（需要管理令牌：在地址后加上 ?token=<ADMIN_TOKEN>。）');
  expect(lines.join('\n')).not.toContain('operator-secret-1');
});
