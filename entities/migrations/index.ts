import { InitialSchema1763856000000 } from './1763856000000-initial-schema';

/** Every migration, oldest first. A new migration is added here by hand. */
export const MIGRATIONS = [InitialSchema1763856000000];
