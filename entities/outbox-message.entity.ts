import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** card: message/update_template_card for the userids in `recipient`, with the payload's response code. */
export type OutboxChannel = 'app' | 'appchat' | 'robot' | 'card';
export type OutboxStatus = 'pending' | 'queued' | 'sending' | 'sent' | 'failed';

/**
 * Every outbound message is a row here before it is sent (docs/design.md §5), so a
 * crash, a Redis outage or a WeCom error delays it but never loses it.
 */
@Entity({ name: 'outbox_messages' })
@Index('outbox_messages_status_idx', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** The same key is never sent twice (e.g. "digest:2026-11-23:leader:42"). */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 200, unique: true })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 10 })
  channel!: OutboxChannel;

  /** app: userids joined by "|"; appchat: chatid; robot: the group id in `groups` (never the key). */
  @Column({ type: 'text' })
  recipient!: string;

  /** The message body as WeCom takes it (msgtype and its object). */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** An interactive card's response code from message/send: one later update of these cards. */
  @Column({ name: 'response_code', type: 'text', nullable: true })
  responseCode!: string | null;

  @Column({ name: 'response_code_used_at', type: 'timestamptz', nullable: true })
  responseCodeUsedAt!: Date | null;
}
