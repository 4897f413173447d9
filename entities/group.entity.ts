import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 群: a WeCom group with a robot webhook that gets a scope's festival and emergency reminders. */
@Entity({ name: 'groups' })
@Index('groups_scope_name_uq', ['scopeRegionId', 'name'], { unique: true })
export class Group {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'scope_region_id', type: 'int' })
  scopeRegionId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The robot's webhook key: a secret, never logged nor put in job data. */
  @Column({ name: 'robot_key', type: 'varchar', length: 100 })
  robotKey!: string;
}
