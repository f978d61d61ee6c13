/**
 * The migrations of hub.sqlite, in order. A new migration is a new numbered file added at
 * the end of this list; a shipped one is never edited (guide, section 3.5).
 */
import type { Migration } from '../../services/sqlite-database';
import { createHubTables } from './001-create-hub-tables';

export const HUB_MIGRATIONS: readonly Migration[] = [createHubTables];
