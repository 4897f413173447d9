import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type InboundStatus = 'received' | 'done' | 'failed' | 'ignored';

/**
 * Every decrypted callback, stored before anything acts on it. dedupKey is the
 * MsgId for messages and "FromUserName:CreateTime:Event" for events, unique, so
 * WeCom's retries are recorded once across processes.
 */
@Entity({ name: 'inbound_messages' })
@Index('inbound_messages_status_idx', ['status', 'receivedAt'])
export class InboundMessage {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'dedup_key', type: 'varchar', length: 200, unique: true })
  dedupKey!: string;

  @Column({ name: 'from_user', type: 'varchar', length: 64 })
  fromUser!: string;

  @Column({ name: 'msg_type', type: 'varchar', length: 20 })
  msgType!: string;

  /** CreateTime from WeCom, unix seconds. */
  @Column({ name: 'create_time', type: 'bigint' })
  createTime!: string;

  /** The decrypted XML as received. */
  @Column({ name: 'raw_xml', type: 'text' })
  rawXml!: string;

  @Column({ type: 'varchar', length: 10, default: 'received' })
  status!: InboundStatus;

  /** Left by the callback to the inbound worker (jobs/inbound-worker.ts), which replies by outbox. */
  @Column({ type: 'boolean', default: false })
  deferred!: boolean;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** The reply sent back, kept so a retry answers the same thing. */
  @Column({ type: 'text', nullable: true })
  reply!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
