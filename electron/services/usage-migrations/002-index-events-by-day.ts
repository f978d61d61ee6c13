/**
 * Migration 2 of usage.sqlite: raw events indexed by day, then id. The roll-up, the
 * retention and the statistics of the days not yet rolled up all look events up by day,
 * and by id past the last one a day's figures include.
 *
 * Shipped: never edit this file; a change is a new migration.
 */
import type { Migration } from '../sqlite-database';

export const indexEventsByDay: Migration = {
  version: 2,
  name: 'index the usage events by day',
  up: (db) => {
    db.exec('CREATE INDEX usage_events_by_day ON usage_events (day, id)');
  },
};
