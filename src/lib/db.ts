import type { DataSource, EntityManager } from 'typeorm';

/** Where a query runs: the pool (DataSource) or the caller's transaction (EntityManager). */
export type Db = DataSource | EntityManager;

/** "Now" as a parameter: production passes `systemClock`, tests fix the time. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
