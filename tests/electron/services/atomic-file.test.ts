import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AtomicWriteError, backupPathOf, writeFileAtomically } from '../../../electron/services/atomic-file';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'epn-atomic-'));
});

afterEach(() => {
  chmodSync(folder, 0o700);
  rmSync(folder, { recursive: true, force: true });
});

function temporaryFilesIn(directory: string): string[] {
  return readdirSync(directory).filter((name) => name.endsWith('.tmp'));
}

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('writeFileAtomically', () => {
  it('creates a new file with the content and leaves no temporary file', () => {
    const file = join(folder, 'config.json');
    writeFileAtomically(file, '{"a": 1}\n');
    expect(readFileSync(file, 'utf8')).toBe('{"a": 1}\n');
    expect(temporaryFilesIn(folder)).toEqual([]);
    expect(existsSync(backupPathOf(file))).toBe(false);
  });

  it('replaces an existing file and writes bytes as given', () => {
    const file = join(folder, 'data.bin');
    writeFileSync(file, 'old');
    const bytes = Uint8Array.from([0, 255, 1, 254, 10]);
    writeFileAtomically(file, bytes);
    expect([...readFileSync(file)]).toEqual([...bytes]);
  });

  it('keeps the previous version as <name>.bak when asked, and only then', () => {
    const file = join(folder, 'config.json');
    writeFileAtomically(file, 'first', { backup: true });
    expect(existsSync(backupPathOf(file))).toBe(false);
    writeFileAtomically(file, 'second', { backup: true });
    expect(readFileSync(backupPathOf(file), 'utf8')).toBe('first');
    writeFileAtomically(file, 'third');
    expect(readFileSync(backupPathOf(file), 'utf8')).toBe('first');
    writeFileAtomically(file, 'fourth', { backup: true });
    expect(readFileSync(file, 'utf8')).toBe('fourth');
    expect(readFileSync(backupPathOf(file), 'utf8')).toBe('third');
    expect(temporaryFilesIn(folder)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('keeps the permissions of the file it replaces and applies mode to a new one', () => {
    const file = join(folder, 'secret.json');
    writeFileAtomically(file, 'a', { mode: 0o600 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o640);
    writeFileAtomically(file, 'b', { mode: 0o666 });
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });

  it('leaves the old file and no temporary file when the backup cannot be made', () => {
    const file = join(folder, 'config.json');
    writeFileSync(file, 'old content');
    // A folder where the backup should go makes the step before the final rename fail.
    mkdirSync(join(backupPathOf(file), 'occupied'), { recursive: true });
    expect(() => writeFileAtomically(file, 'new content', { backup: true })).toThrow(AtomicWriteError);
    expect(readFileSync(file, 'utf8')).toBe('old content');
    expect(temporaryFilesIn(folder)).toEqual([]);
  });

  it('names the file and says the old version is unchanged when the target cannot be replaced', () => {
    const target = join(folder, 'config.json');
    mkdirSync(join(target, 'inside'), { recursive: true });
    let thrown: unknown;
    try {
      writeFileAtomically(target, 'new');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AtomicWriteError);
    expect((thrown as Error).message).toContain(target);
    expect((thrown as Error).message).toContain('previous version of the file is unchanged');
    expect(existsSync(join(target, 'inside'))).toBe(true);
    expect(temporaryFilesIn(folder)).toEqual([]);
  });

  it.skipIf(runningAsRoot || process.platform === 'win32')('leaves the old file intact in a folder made read-only', () => {
    const file = join(folder, 'config.json');
    writeFileSync(file, 'old content');
    chmodSync(folder, 0o500);
    expect(() => writeFileAtomically(file, 'new content', { backup: true })).toThrow(AtomicWriteError);
    expect(readFileSync(file, 'utf8')).toBe('old content');
  });

  it('leaves either the old or a new file, never a partial one, when the writer is killed mid-write', async () => {
    const file = join(folder, 'big.json');
    const size = 16 * 1024 * 1024;
    const versionOf = (index: number) => `${String(index).padStart(8, '0')}|`;
    const expectedContent = (index: number) => versionOf(index).repeat(size / 9);
    writeFileSync(file, expectedContent(0));

    const child = join(folder, 'writer.mts');
    const moduleUrl = new URL('../../../electron/services/atomic-file.ts', import.meta.url).href;
    writeFileSync(
      child,
      [
        `import { writeFileAtomically } from ${JSON.stringify(moduleUrl)};`,
        `const size = ${size};`,
        'for (let index = 1; ; index += 1) {',
        "  const text = `${String(index).padStart(8, '0')}|`.repeat(size / 9);",
        "  process.stdout.write(`start ${index}\\n`);",
        `  writeFileAtomically(${JSON.stringify(file)}, text, { backup: true });`,
        '}',
      ].join('\n'),
    );

    let killedMidWrite = 0;
    for (let round = 0; round < 5; round += 1) {
      const writer = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      writer.stderr.on('data', (chunk: Buffer) => {
        errors += chunk.toString();
      });
      // Kill during the second write or later: the file being replaced is then one the child wrote itself.
      await new Promise<void>((resolveStarted, rejectStarted) => {
        let output = '';
        writer.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (/start 2\n/.test(output)) resolveStarted();
        });
        writer.on('exit', () => rejectStarted(new Error(`writer stopped early: ${errors}`)));
      });
      // Then wait for the next temporary file, and kill at varying points of that write (or just after it).
      while (temporaryFilesIn(folder).length === 0) await new Promise((wait) => setTimeout(wait, 1));
      if (round > 0) await new Promise((wait) => setTimeout(wait, round * 15));
      const exited = new Promise((done) => writer.on('exit', done));
      writer.kill('SIGKILL');
      await exited;

      if (temporaryFilesIn(folder).length > 0) killedMidWrite += 1;
      const content = readFileSync(file, 'utf8');
      const index = Number(content.slice(0, 8));
      expect(content.length).toBe(expectedContent(index).length);
      expect(content === expectedContent(index)).toBe(true);
      for (const name of temporaryFilesIn(folder)) rmSync(join(folder, name));
    }
    // The scenario this test is for happened at least once: a temporary file was left mid-write.
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 60_000);
});
