import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One cadre's copy of a notice, with acknowledgement (收到) tracking. */
@Entity({ name: 'notice_recipients' })
@Index('notice_recipients_cadre_idx', ['cadreId'])
export class NoticeRecipient {
  @PrimaryColumn({ name: 'notice_id', type: 'int' })
  noticeId!: number;

  @PrimaryColumn({ name: 'cadre_id', type: 'int' })
  cadreId!: number;

  @Column({ name: 'acked_at', type: 'timestamptz', nullable: true })
  ackedAt!: Date | null;

  @Column({ name: 'followed_up_at', type: 'timestamptz', nullable: true })
  followedUpAt!: Date | null;
}
