/**
 * A power cut in the middle of writes: a child process records visits with the real store
 * (tests/electron/services/fixtures/usage-crash-writer.ts) and is killed with SIGKILL at
 * several moments, on the same file. After each kill the file passes PRAGMA integrity_check,
 * every visit the child reported as committed is there, and every saved day's figures are
 * exactly what its raw events say (a roll-up is never half-saved).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USAGE_DATABASE_FILE_NAME } from '../../../electron/services/usage-store';
import { freshFolder } from './fixtures/usage-test-kit';

const WRITER = fileURLToPath(new URL('./fixtures/usage-crash-writer.ts', import.meta.url));

let file: string;
let remove: () => void;

beforeEach(() => {
  const fresh = freshFolder('usage-power-cut');
  remove = fresh.remove;
  file = join(fresh.folder, USAGE_DATABASE_FILE_NAME);
});

afterEach(() => remove());

interface Run {
  /** Visits the child said were committed. */
  readonly committed: number[];
  readonly stderr: string;
  readonly signal: NodeJS.Signals | null;
}

/** Starts the writer, kills it with SIGKILL once it has reported `killAfter` commits and `extraDelayMs` more have passed. */
function runAndKill(firstVisit: number, killAfter: number, extraDelayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(firstVisit)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
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
        const match = /^committed (\d+)$/.exec(line);
        if (match) committed.push(Number(match[1]));
      }
      if (!killing && committed.length >= killAfter) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
      }
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ committed, stderr, signal }));
  });
}

function inspect(): { integrity: string; services: Set<string>; figuresMatch: string[]; savedDays: number } {
  // A normal connection, as the next start of the kiosk would open it: it replays the WAL.
  const db = new Database(file);
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const services = new Set(db.prepare("SELECT service_id FROM usage_events WHERE type = 'service-opened'").pluck().all() as string[]);
    const mismatches: string[] = [];
    const saved = db.prepare('SELECT day, figures, last_event_id AS lastEventId FROM daily_figures').all() as { day: string; figures: string; lastEventId: number }[];
    const countStarted = db.prepare("SELECT count(*) FROM usage_events WHERE day = ? AND id <= ? AND type = 'session-started'").pluck();
    for (const { day, figures, lastEventId } of saved) {
      const sessions = (JSON.parse(figures) as { sessions: number }).sessions;
      const raw = countStarted.get(day, lastEventId) as number;
      if (sessions !== raw) mismatches.push(`${day}: saved ${sessions} sessions, raw events say ${raw}`);
    }
    return { integrity, services, figuresMatch: mismatches, savedDays: saved.length };
  } finally {
    db.close();
  }
}

describe('a power cut while the usage store writes', () => {
  it('leaves an intact file with every committed event, whenever it comes', async () => {
    const moments: [killAfter: number, extraDelayMs: number][] = [
      [1, 0],
      [15, 0],
      [40, 3],
      [80, 1],
      [120, 7],
    ];
    let nextVisit = 0;
    let allCommitted: number[] = [];
    let savedDays = 0;
    for (const [killAfter, extraDelayMs] of moments) {
      const run = await runAndKill(nextVisit, killAfter, extraDelayMs);
      expect(run.signal, run.stderr).toBe('SIGKILL');
      expect(run.committed.length).toBeGreaterThanOrEqual(killAfter);
      allCommitted = [...allCommitted, ...run.committed];
      const { integrity, services, figuresMatch, ...rest } = inspect();
      savedDays = rest.savedDays;
      expect(integrity).toBe('ok');
      expect(allCommitted.filter((visit) => !services.has(`probe-${visit}`))).toEqual([]);
      expect(figuresMatch).toEqual([]);
      // The next run starts after whatever the killed one may have written without reporting it.
      nextVisit = Math.max(...allCommitted, ...[...services].map((service) => Number(service.replace('probe-', '')))) + 1;
    }
    expect(allCommitted.length).toBeGreaterThanOrEqual(256);
    // Eight visits a day: the kills also fell among roll-ups, whose saved figures were checked above.
    expect(savedDays).toBeGreaterThan(20);
  }, 120_000);
});
