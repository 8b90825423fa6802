// Every migration, in order. Append only: never edit or reorder a released migration.
import { initial } from './001-initial.ts';
import type { Migration } from './migration.ts';

export const MIGRATIONS: readonly Migration[] = [initial];
