import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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
