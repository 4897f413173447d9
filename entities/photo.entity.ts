import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type PhotoStatus = 'fetching' | 'stored' | 'failed';
/** What a photo is evidence of; problem_close = sent with or after the 销号. */
export type PhotoKind = 'visit' | 'household_visit' | 'problem' | 'problem_close';

/**
 * A picture sent in chat: one row per WeCom MsgId, stored once per content
 * hash (sha256), attached to at most one record (migration 1763856800000).
 */
@Entity({ name: 'photos' })
@Index('photos_cadre_created_idx', ['cadreId', 'createdAt'])
export class Photo {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** The uploader. */
  @Column({ name: 'cadre_id', type: 'int' })
  cadreId!: number;

  @Column({ name: 'inbound_id', type: 'int', nullable: true })
  inboundId!: number | null;

  @Column({ name: 'msg_id', type: 'varchar', length: 32, nullable: true, unique: true })
  msgId!: string | null;

  /** WeCom MediaId; lives three days, so it is fetched at once. */
  @Column({ name: 'media_id', type: 'varchar', length: 512 })
  mediaId!: string;

  @Column({ type: 'varchar', length: 8, default: 'fetching' })
  status!: PhotoStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'char', length: 64, nullable: true, unique: true })
  sha256!: string | null;

  @Column({ name: 'content_type', type: 'varchar', length: 20, nullable: true })
  contentType!: string | null;

  @Column({ name: 'size_bytes', type: 'int', nullable: true })
  sizeBytes!: number | null;

  @Column({ name: 'storage_key', type: 'varchar', length: 200, nullable: true })
  storageKey!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  kind!: PhotoKind | null;

  @Column({ name: 'visit_id', type: 'int', nullable: true })
  visitId!: number | null;

  @Column({ name: 'household_visit_id', type: 'int', nullable: true })
  householdVisitId!: number | null;

  @Column({ name: 'problem_id', type: 'int', nullable: true })
  problemId!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'stored_at', type: 'timestamptz', nullable: true })
  storedAt!: Date | null;
}
