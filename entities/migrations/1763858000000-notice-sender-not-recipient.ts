import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notice's sender is not one of its recipients (docs/design.md §2): notices
 * sent before lost the sender's own recipient row, so their acknowledgement
 * rate, the follow-ups and the digest's unacknowledged count leave the sender
 * out. One pass over the notices, by the recipients' primary key.
 */
export class NoticeSenderNotRecipient1763858000000 implements MigrationInterface {
  name = 'NoticeSenderNotRecipient1763858000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM notice_recipients nr USING notices n WHERE nr.notice_id = n.id AND nr.cadre_id = n.sender_id`,
    );
  }

  async down(): Promise<void> {
    // The rows removed were the senders' own; nothing to restore.
  }
}
