import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A festival by its calendar rule (lunar or solar month/day). Actual dates are
 * computed per year with lunar-typescript, never stored by hand.
 */
@Entity({ name: 'festivals' })
export class Festival {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 20, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 5 })
  calendar!: 'lunar' | 'solar';

  @Column({ type: 'smallint' })
  month!: number;

  @Column({ type: 'smallint' })
  day!: number;

  /** Days before the festival that reminders go out. */
  @Column({ name: 'remind_days_before', type: 'smallint', default: 3 })
  remindDaysBefore!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
