import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 帮扶单位: a government unit linked to one or more villages. */
@Entity({ name: 'units' })
export class Unit {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;
}
