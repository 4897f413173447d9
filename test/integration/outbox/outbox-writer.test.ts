import { createTestDb, type TestDb } from '../../support/db';
import { addToOutbox, textMessage, MAX_TOUSER } from '../../../src/services/outbox/write';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

describe('addToOutbox', () => {
  test('a province-sized batch is written in chunks, once per key', async () => {
    const messages = Array.from({ length: 12_001 }, (_, i) => textMessage(`quota:2026-W48:${i}`, `u${i}`, '进度提醒'));
    const first = await t.db.transaction((m) => addToOutbox(m, messages));
    expect(first).toHaveLength(12_001);
    expect(new Set(first).size).toBe(12_001);
    const again = await t.db.transaction((m) => addToOutbox(m, messages));
    expect(again).toEqual([]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox_messages WHERE idempotency_key LIKE 'quota:%'`);
    expect(n).toBe(12_001);
  });

  test('one message to more people than touser allows becomes rows of at most 1,000', async () => {
    const to = Array.from({ length: 2_500 }, (_, i) => `c${i}`);
    const ids = await t.db.transaction((m) => addToOutbox(m, [textMessage('notice:7', to, '紧急通知')]));
    expect(ids).toHaveLength(3);
    const rows: { idempotency_key: string; recipient: string }[] = await t.db.query(
      `SELECT idempotency_key, recipient FROM outbox_messages WHERE idempotency_key LIKE 'notice:7#%' ORDER BY id`,
    );
    expect(rows.map((r) => r.idempotency_key)).toEqual(['notice:7#1', 'notice:7#2', 'notice:7#3']);
    expect(rows.map((r) => r.recipient.split('|').length)).toEqual([MAX_TOUSER, MAX_TOUSER, 500]);
  });
});
