import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 五必到 kinds of a notice (festivals are the festival reminders). */
export const NOTICE_KINDS = ['会议', '突发', '活动', '交办'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** 通知: an urgent notice from a leader to every cadre linked to a village in a scope. */
@Entity({ name: 'notices' })
@Index('notices_scope_idx', ['scopeRegionId', 'createdAt'])
export class Notice {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'sender_id', type: 'int' })
  senderId!: number;

  @Column({ name: 'scope_region_id', type: 'int' })
  scopeRegionId!: number;

  @Column({ type: 'text' })
  content!: string;

  /** 会议, 突发 (the default), 活动 or 交办. */
  @Column({ type: 'varchar', length: 4, default: '突发' })
  kind!: NoticeKind;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** Check-ins in the scope before this time count as attendance (突发事件必到). */
  @Column({ name: 'attend_until', type: 'timestamptz', nullable: true })
  attendUntil!: Date | null;

  /** When the sender last got the receipt: who has not acknowledged, who checked in since. */
  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true })
  reportedAt!: Date | null;

  /** Follow-up rounds done so far (jobs/notice-followup.ts). */
  @Column({ name: 'followups_sent', type: 'smallint', default: 0 })
  followupsSent!: number;
}
