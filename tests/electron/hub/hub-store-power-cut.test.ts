/**
 * A power cut while the hub writes: a child process (fixtures/hub-crash-writer.ts) creates
 * help requests and uploads statistics with the real store, and is killed with SIGKILL at
 * several moments, on the same folder. After each kill the file passes integrity_check, the
 * store opens it again, every request and upload the child reported is there, and every day
 * sum is exactly the sum of its kiosk rows (an upload is never half-saved).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HUB_DATABASE_FILE_NAME, openHubStore } from '../../../electron/hub/hub-store';

const WRITER = fileURLToPath(new URL('./fixtures/hub-crash-writer.ts', import.meta.url));

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-hub-power-cut-'));
});

afterEach(() => rmSync(folder, { recursive: true, force: true }));

interface Run {
  readonly requests: string[];
  /** The last sessions count reported per "kioskId day". */
  readonly uploads: Map<string, number>;
  readonly stderr: string;
  readonly signal: NodeJS.Signals | null;
}

/** Starts the writer and kills it with SIGKILL once it has reported `killAfter` requests and `extraDelayMs` more have passed. */
function runAndKill(run: number, killAfter: number, extraDelayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, folder, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const requests: string[] = [];
    const uploads = new Map<string, number>();
    let pending = '';
    let stderr = '';
    let killing = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const request = /^request ([0-9a-f]{32})$/.exec(line);
        if (request) requests.push(request[1]!);
        const upload = /^upload ([0-9a-f]{32}) (\S+) (\d+)$/.exec(line);
        if (upload) uploads.set(`${upload[1]} ${upload[2]}`, Number(upload[3]));
      }
      if (!killing && requests.length >= killAfter) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ requests, uploads, stderr, signal }));
  });
}

interface Inspection {
  readonly integrity: string;
  readonly sessions: Map<string, number>;
  readonly sumMismatches: string[];
  readonly sumDays: number;
}

function inspect(): Inspection {
  // A normal connection, as the next start of the hub opens it: it replays the write-ahead log.
  const db = new Database(join(folder, HUB_DATABASE_FILE_NAME));
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const rows = db.prepare('SELECT kiosk_id AS kioskId, day, figures FROM kiosk_days').all() as { kioskId: string; day: string; figures: string }[];
    const sessions = new Map(rows.map((row) => [`${row.kioskId} ${row.day}`, (JSON.parse(row.figures) as { sessions: number }).sessions]));
    const sums = db.prepare('SELECT day, figures, kiosk_count AS kioskCount FROM day_sums').all() as { day: string; figures: string; kioskCount: number }[];
    const sumMismatches: string[] = [];
    for (const sum of sums) {
      const ofDay = rows.filter((row) => row.day === sum.day);
      const expected = ofDay.reduce((total, row) => total + (JSON.parse(row.figures) as { sessions: number }).sessions, 0);
      const saved = (JSON.parse(sum.figures) as { sessions: number }).sessions;
      if (saved !== expected || sum.kioskCount !== ofDay.length) sumMismatches.push(`${sum.day}: sum says ${saved} sessions of ${sum.kioskCount} kiosks, rows say ${expected} of ${ofDay.length}`);
    }
    const daysWithRows = new Set(rows.map((row) => row.day)).size;
    if (daysWithRows !== sums.length) sumMismatches.push(`${daysWithRows} days have kiosk rows but ${sums.length} have a sum`);
    return { integrity, sessions, sumMismatches, sumDays: sums.length };
  } finally {
    db.close();
  }
}

describe('a power cut while the hub store writes', () => {
  it('leaves an intact file with every reported request and upload, whenever it comes', async () => {
    const moments: [killAfter: number, extraDelayMs: number][] = [
      [1, 0],
      [10, 0],
      [30, 2],
      [60, 1],
      [90, 5],
    ];
    const allRequests: string[] = [];
    const allUploads = new Map<string, number>();
    for (const [index, [killAfter, extraDelayMs]] of moments.entries()) {
      const run = await runAndKill(index + 1, killAfter, extraDelayMs);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.requests.length).toBeGreaterThanOrEqual(killAfter);
      allRequests.push(...run.requests);
      for (const [key, sessions] of run.uploads) allUploads.set(key, sessions);

      const { integrity, sessions, sumMismatches } = inspect();
      expect(integrity).toBe('ok');
      expect(sumMismatches).toEqual([]);
      // A later, unreported upload may have replaced the reported one with bigger figures; never with less.
      const lost = [...allUploads].filter(([key, reported]) => (sessions.get(key) ?? -1) < reported);
      expect(lost).toEqual([]);

      const store = openHubStore({ dataDir: folder, now: Date.now });
      try {
        expect(allRequests.filter((id) => store.helpRequest(id) === null)).toEqual([]);
      } finally {
        store.close();
      }
    }
    expect(allRequests.length).toBeGreaterThanOrEqual(191);
    expect(inspect().sumDays).toBeGreaterThan(10);
  }, 120_000);
});
