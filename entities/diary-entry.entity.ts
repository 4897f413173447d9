import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 民情日记 entry. */
@Entity({ name: 'diary_entries' })
@Index('diary_entries_cadre_idx', ['cadreId', 'createdAt'])
export class DiaryEntry {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'cadre_id', type: 'int' })
  cadreId!: number;

  @Column({ name: 'village_id', type: 'int', nullable: true })
  villageId!: number | null;

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
