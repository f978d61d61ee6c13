/**
 * A power cut while staff save the configuration: a child process saves configurations
 * through the staff editor in a loop (tests/electron/services/fixtures/config-crash-writer.ts)
 * and is killed with SIGKILL many times, at random moments and while a new file is being
 * written. After each kill the local file is exactly one complete configuration the child
 * saved (or the first one), the backup too, and the change log still reads.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../../electron/services/atomic-file';
import { CONFIG_BACKUP_FILE_NAME, createConfigEditor } from '../../../electron/services/config-editor';
import { LOCAL_CONFIG_FILE_NAME, openConfigStore } from '../../../electron/services/config-store';
import { parseKioskConfig } from '../../../shared/config/schema';
import { crashConfigText, saveNumberOf } from './fixtures/config-crash-kit';

const WRITER = fileURLToPath(new URL('./fixtures/config-crash-writer.ts', import.meta.url));
const ROUNDS = 16;
/** A random delay after the child's first save; long enough to land anywhere in a few saves. */
const MAX_RANDOM_DELAY_MS = 80;
const TEMPORARY_LOCAL_FILE_PREFIX = `.${LOCAL_CONFIG_FILE_NAME}.new-`;

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'epn-config-crash-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function temporaryLocalFiles(): string[] {
  return readdirSync(dataDir).filter((name) => name.startsWith(TEMPORARY_LOCAL_FILE_PREFIX));
}

type KillMoment = { readonly kind: 'random'; readonly delayMs: number } | { readonly kind: 'mid-write' };

interface Run {
  readonly announced: number[];
  readonly stderr: string;
  readonly signal: NodeJS.Signals | null;
  /** A temporary local file existed when the child died: the kill came in the middle of a write. */
  readonly killedMidWrite: boolean;
}

function runAndKill(firstSave: number, moment: KillMoment): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(firstSave)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const announced: number[] = [];
    let pending = '';
    let stderr = '';
    let killing = false;
    let killedMidWrite = false;
    const kill = () => {
      killedMidWrite = temporaryLocalFiles().length > 0;
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      let firstSaved = false;
      for (const line of lines) {
        const match = /^saving (\d+)$/.exec(line);
        if (match) announced.push(Number(match[1]));
        if (line === `saved ${firstSave}`) firstSaved = true;
      }
      if (killing || !firstSaved) return;
      killing = true;
      if (moment.kind === 'random') {
        setTimeout(kill, moment.delayMs);
        return;
      }
      // Looks again at every turn of the event loop, so the child's output is still read meanwhile.
      const deadline = Date.now() + 5_000;
      const killOnceWriting = () => {
        if (temporaryLocalFiles().length > 0 || Date.now() > deadline) kill();
        else setImmediate(killOnceWriting);
      };
      killOnceWriting();
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    // 'close', not 'exit': what the child wrote before dying is read to the end first.
    child.on('close', (_code, signal) => resolve({ announced, stderr, signal, killedMidWrite }));
  });
}

/** The save number of a file that must hold exactly one complete configuration of the test. */
function completeSaveIn(file: string): number {
  const text = readFileSync(file, 'utf8');
  const parsed = parseKioskConfig(JSON.parse(text));
  if (!parsed.ok) throw new Error(`${file} is not a valid configuration: ${JSON.stringify(parsed.problems)}`);
  const save = saveNumberOf(parsed.config);
  expect(text === crashConfigText(save), `${file} differs from save ${save}`).toBe(true);
  return save;
}

describe('a power cut while staff save the configuration', () => {
  it('leaves the old or the new configuration, never a broken one, whenever it comes', async () => {
    const seed = Date.now() % 1_000_000;
    const random = randomFrom(seed);
    const localFile = join(dataDir, LOCAL_CONFIG_FILE_NAME);
    const backupFile = join(dataDir, CONFIG_BACKUP_FILE_NAME);
    writeFileAtomically(localFile, crashConfigText(0));
    const written = new Set([0]);
    let nextSave = 1;
    let midWriteKills = 0;

    for (let round = 0; round < ROUNDS; round += 1) {
      const moment: KillMoment = round % 2 === 0 ? { kind: 'mid-write' } : { kind: 'random', delayMs: Math.floor(random() * MAX_RANDOM_DELAY_MS) };
      const run = await runAndKill(nextSave, moment);
      const context = `seed ${seed}, round ${round}, ${JSON.stringify(moment)}, saves announced ${run.announced.at(0)}…${run.announced.at(-1)}: ${run.stderr.slice(-500)}`;
      expect(run.signal, context).toBe('SIGKILL');
      for (const save of run.announced) written.add(save);
      if (run.killedMidWrite) midWriteKills += 1;

      const save = completeSaveIn(localFile);
      expect(written.has(save), context).toBe(true);
      // The file in place is the newest save that finished, or the one under way when the kill came.
      expect(save, context).toBeGreaterThanOrEqual(Math.max(...run.announced) - 1);
      expect(written.has(completeSaveIn(backupFile)), context).toBe(true);

      // The next start of the kiosk reads it as it is, and the change log still opens.
      const store = openConfigStore({ dataDir, managedConfigPath: null });
      try {
        expect(store.problems(), context).toEqual([]);
        expect(saveNumberOf(store.current())).toBe(save);
        expect(() => createConfigEditor({ store, dataDir }).changeLog()).not.toThrow();
      } finally {
        store.close();
      }
      nextSave = Math.max(...written) + 1;
    }
    // The case this test is for did happen: some kills landed while a new file was being written.
    expect(midWriteKills, `seed ${seed}`).toBeGreaterThan(0);
  }, 180_000);
});
