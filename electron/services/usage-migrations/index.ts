/**
 * The migrations of usage.sqlite, in order. A new migration is a new numbered file added
 * at the end of this list; a shipped one is never edited (guide, section 3.5).
 */
import type { Migration } from '../sqlite-database';
import { createUsageTables } from './001-create-usage-tables';
import { indexEventsByDay } from './002-index-events-by-day';

export const USAGE_MIGRATIONS: readonly Migration[] = [createUsageTables, indexEventsByDay];
