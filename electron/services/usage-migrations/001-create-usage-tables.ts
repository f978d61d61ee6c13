/**
 * Migration 1 of usage.sqlite: the raw events and the daily figures.
 *
 * Shipped: never edit this file; a change is a new migration.
 *
 * Anonymity is in the schema itself. Both tables are STRICT (a value of the wrong type is
 * refused, never converted), and every column accepts only what its event carries: a type
 * from a fixed list, ids of bounded length written in a small alphabet without ':', '/',
 * '.', '?', '=', '@' or spaces, whole numbers in bounded ranges. A URL, a page title, an IP
 * address or a sentence typed by a visitor cannot be stored in any column, whatever the code
 * above tries. Each event type fills exactly its own columns and leaves the others NULL.
 *
 * `session_key` is 32 hexadecimal digits (128 random bits) drawn by the store when a session
 * starts and forgotten when it ends: it links the events of one session and nothing else,
 * it is never exported, and it goes when the raw events go (after the retention period).
 */
import type { Migration } from '../sqlite-database';

const DAY_FORMAT = (column: string) => `length(${column}) = 10 AND ${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`;

export const createUsageTables: Migration = {
  version: 1,
  name: 'create the usage events and daily figures tables',
  up: (db) => {
    db.exec(`
      CREATE TABLE usage_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_key TEXT CHECK (session_key IS NULL OR (length(session_key) = 32 AND session_key NOT GLOB '*[^0-9a-f]*')),
        minute INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 540000000),
        day TEXT NOT NULL CHECK (${DAY_FORMAT('day')}),
        type TEXT NOT NULL CHECK (type IN (
          'session-started', 'session-ended', 'service-opened', 'help-requested', 'help-acknowledged',
          'help-resolved', 'help-cancelled', 'language-changed', 'accessibility-on', 'wipe-done'
        )),
        language TEXT CHECK (language IS NULL OR (length(language) BETWEEN 2 AND 3 AND language NOT GLOB '*[^a-z]*')),
        service_id TEXT CHECK (service_id IS NULL OR (length(service_id) BETWEEN 1 AND 40 AND service_id NOT GLOB '*[^a-z0-9-]*' AND service_id NOT GLOB '-*')),
        reason TEXT CHECK (reason IS NULL OR reason IN ('visitor', 'idle', 'max-length', 'crash', 'boot', 'staff')),
        seconds INTEGER CHECK (seconds IS NULL OR seconds BETWEEN 0 AND 604800),
        option TEXT CHECK (option IS NULL OR (length(option) BETWEEN 1 AND 40 AND option NOT GLOB '*[^a-z-]*' AND option NOT GLOB '-*')),
        verified INTEGER CHECK (verified IS NULL OR verified IN (0, 1)),
        attempt INTEGER CHECK (attempt IS NULL OR attempt BETWEEN 1 AND 1000),
        CHECK (CASE type
          WHEN 'session-started' THEN language IS NOT NULL AND service_id IS NULL AND reason IS NULL AND seconds IS NULL AND option IS NULL AND verified IS NULL AND attempt IS NULL
          WHEN 'language-changed' THEN language IS NOT NULL AND service_id IS NULL AND reason IS NULL AND seconds IS NULL AND option IS NULL AND verified IS NULL AND attempt IS NULL
          WHEN 'session-ended' THEN reason IS NOT NULL AND seconds IS NOT NULL AND language IS NULL AND service_id IS NULL AND option IS NULL AND verified IS NULL AND attempt IS NULL
          WHEN 'service-opened' THEN service_id IS NOT NULL AND language IS NULL AND reason IS NULL AND seconds IS NULL AND option IS NULL AND verified IS NULL AND attempt IS NULL
          WHEN 'help-requested' THEN language IS NULL AND reason IS NULL AND seconds IS NULL AND option IS NULL AND verified IS NULL AND attempt IS NULL
          WHEN 'accessibility-on' THEN option IS NOT NULL AND language IS NULL AND service_id IS NULL AND reason IS NULL AND seconds IS NULL AND verified IS NULL AND attempt IS NULL
          WHEN 'wipe-done' THEN seconds IS NOT NULL AND verified IS NOT NULL AND attempt IS NOT NULL AND language IS NULL AND service_id IS NULL AND reason IS NULL AND option IS NULL
          ELSE seconds IS NOT NULL AND language IS NULL AND service_id IS NULL AND reason IS NULL AND option IS NULL AND verified IS NULL AND attempt IS NULL
        END)
      ) STRICT;

      CREATE TABLE daily_figures (
        day TEXT PRIMARY KEY NOT NULL CHECK (${DAY_FORMAT('day')}),
        figures TEXT NOT NULL CHECK (
          length(figures) <= 65536
          AND figures NOT GLOB '*[^]a-zA-Z0-9{}:,"[-]*'
          AND json_valid(figures)
          AND json_type(figures) = 'object'
          AND json_extract(figures, '$.day') = day
        ),
        rolled_up_at INTEGER NOT NULL CHECK (rolled_up_at BETWEEN 0 AND 540000000),
        last_event_id INTEGER NOT NULL CHECK (last_event_id >= 0)
      ) STRICT;
    `);
  },
};
