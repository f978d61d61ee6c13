/**
 * Migration 1 of hub.sqlite: paired devices, pairing codes, help requests, the kiosks'
 * daily statistics and their sums per day, and the hub's own settings (hub_meta).
 *
 * Shipped: never edit this file; a change is a new migration.
 *
 * Every table is STRICT (a value of the wrong type is refused, never converted) and every
 * column checks the shape shared/hub-api.ts gives it, so a bug above cannot store what the
 * API would refuse. No secret is stored: devices keep the SHA-256 of their secret, codes an
 * HMAC under the database's key (electron/hub/hub-secrets.ts explains both).
 *
 * Devices are never deleted, only revoked: help requests and statistics keep pointing at
 * the device that sent them.
 */
import type { Migration } from '../../services/sqlite-database';

const HEX_ID = (column: string) => `length(${column}) = 32 AND ${column} NOT GLOB '*[^0-9a-f]*'`;
const DAY_FORMAT = (column: string) => `length(${column}) = 10 AND ${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`;
const ROLE = (column: string) => `${column} IN ('kiosk', 'staff', 'hub')`;
/** Daily figures in JSON: digits, letters, dashes and JSON's punctuation only (no spaces, dots, slashes: no URL, no sentence), for the day of its row. */
const FIGURES_JSON = (column: string, dayColumn: string) =>
  `json_valid(${column}) AND json_type(${column}) = 'object' AND ${column} NOT GLOB '*[^]a-zA-Z0-9{}:,"[-]*' AND json_extract(${column}, '$.day') = ${dayColumn}`;

export const createHubTables: Migration = {
  version: 1,
  name: 'create the devices, pairing codes, help requests and statistics tables',
  up: (db) => {
    db.exec(`
      CREATE TABLE hub_meta (
        key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 60),
        value BLOB NOT NULL
      ) STRICT;

      CREATE TABLE devices (
        device_id TEXT PRIMARY KEY NOT NULL CHECK (${HEX_ID('device_id')}),
        role TEXT NOT NULL CHECK (${ROLE('role')}),
        secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
        site TEXT NOT NULL CHECK (length(site) <= 80),
        kiosk_id TEXT CHECK (kiosk_id IS NULL OR (role = 'kiosk' AND ${HEX_ID('kiosk_id')})),
        paired_at INTEGER NOT NULL CHECK (paired_at >= 0),
        last_seen_at INTEGER CHECK (last_seen_at IS NULL OR last_seen_at >= 0),
        activity TEXT NOT NULL DEFAULT 'free' CHECK (activity IN ('free', 'in-session', 'out-of-order')),
        revoked_at INTEGER CHECK (revoked_at IS NULL OR revoked_at >= 0)
      ) STRICT;

      CREATE TABLE pairing_codes (
        code_hash BLOB PRIMARY KEY NOT NULL CHECK (length(code_hash) = 32),
        role TEXT NOT NULL CHECK (${ROLE('role')}),
        created_at INTEGER NOT NULL CHECK (created_at >= 0),
        expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
        uses_left INTEGER NOT NULL CHECK (uses_left >= 0)
      ) STRICT;

      CREATE TABLE help_requests (
        id TEXT PRIMARY KEY NOT NULL CHECK (${HEX_ID('id')}),
        kiosk_device_id TEXT NOT NULL REFERENCES devices (device_id),
        client_request_id TEXT NOT NULL CHECK (${HEX_ID('client_request_id')}),
        kiosk_name TEXT NOT NULL CHECK (length(kiosk_name) BETWEEN 1 AND 60),
        site TEXT NOT NULL CHECK (length(site) <= 80),
        service_id TEXT CHECK (service_id IS NULL OR (length(service_id) BETWEEN 1 AND 40 AND service_id NOT GLOB '*[^a-z0-9-]*' AND service_id NOT GLOB '-*')),
        language TEXT NOT NULL CHECK (length(language) BETWEEN 2 AND 3 AND language NOT GLOB '*[^a-z]*'),
        state TEXT NOT NULL CHECK (state IN ('waiting', 'acknowledged', 'resolved', 'cancelled')),
        created_at INTEGER NOT NULL CHECK (created_at >= 0),
        acknowledged_at INTEGER CHECK (acknowledged_at IS NULL OR acknowledged_at >= 0),
        closed_at INTEGER CHECK (closed_at IS NULL OR closed_at >= 0),
        revision INTEGER NOT NULL CHECK (revision >= 1),
        UNIQUE (kiosk_device_id, client_request_id),
        CHECK (CASE state
          WHEN 'waiting' THEN acknowledged_at IS NULL AND closed_at IS NULL
          WHEN 'acknowledged' THEN acknowledged_at IS NOT NULL AND closed_at IS NULL
          ELSE closed_at IS NOT NULL
        END)
      ) STRICT;

      -- Closed requests pile up for good; the queue only ever reads the open ones.
      CREATE INDEX help_requests_open ON help_requests (created_at) WHERE state IN ('waiting', 'acknowledged');

      CREATE TABLE kiosk_days (
        kiosk_id TEXT NOT NULL CHECK (${HEX_ID('kiosk_id')}),
        day TEXT NOT NULL CHECK (${DAY_FORMAT('day')}),
        kiosk_name TEXT NOT NULL CHECK (length(kiosk_name) BETWEEN 1 AND 60),
        site TEXT NOT NULL CHECK (length(site) <= 80),
        figures TEXT NOT NULL CHECK (length(figures) <= 262144 AND ${FIGURES_JSON('figures', 'day')}),
        via_device_id TEXT NOT NULL REFERENCES devices (device_id),
        received_at INTEGER NOT NULL CHECK (received_at >= 0),
        -- Goes up by one each time the row is replaced; forwarded_revision is the one the upstream hub has (0: none).
        revision INTEGER NOT NULL CHECK (revision >= 1),
        forwarded_revision INTEGER NOT NULL DEFAULT 0 CHECK (forwarded_revision BETWEEN 0 AND revision),
        PRIMARY KEY (kiosk_id, day)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX kiosk_days_by_day ON kiosk_days (day);
      CREATE INDEX kiosk_days_to_forward ON kiosk_days (kiosk_id, day) WHERE forwarded_revision < revision;

      CREATE TABLE day_sums (
        day TEXT PRIMARY KEY NOT NULL CHECK (${DAY_FORMAT('day')}),
        figures TEXT NOT NULL CHECK (${FIGURES_JSON('figures', 'day')}),
        kiosk_count INTEGER NOT NULL CHECK (kiosk_count >= 1)
      ) STRICT;
    `);
  },
};
