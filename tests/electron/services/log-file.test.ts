/**
 * The kiosk's log file: lines from before the data folder was known come first, the file
 * is rotated instead of growing without end, and a log that cannot be written never throws.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_FILE_NAME, LOG_FOLDER_NAME, createLogFile } from '../../../electron/services/log-file';
import { createKioskLog } from '../../../electron/shell/shell-log';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'kiosk-log-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const logPath = () => join(folder, LOG_FOLDER_NAME, LOG_FILE_NAME);

describe('createLogFile', () => {
  it('keeps the lines logged before the data folder is known, and writes them first', () => {
    const file = createLogFile();
    file.write('one\n');
    file.write('two\n');
    expect(file.path()).toBeNull();
    file.attach(folder);
    file.write('three\n');
    expect(file.path()).toBe(logPath());
    expect(readFileSync(logPath(), 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('appends to the log of an earlier run', () => {
    const first = createLogFile();
    first.attach(folder);
    first.write('first run\n');
    const second = createLogFile();
    second.attach(folder);
    second.write('second run\n');
    expect(readFileSync(logPath(), 'utf8')).toBe('first run\nsecond run\n');
  });

  it('starts a new file past its size, keeping one previous file', () => {
    const file = createLogFile({ maxBytes: 20 });
    file.attach(folder);
    file.write('0123456789\n');
    file.write('abcdefghij\n');
    file.write('ABCDEFGHIJ\n');
    expect(readFileSync(logPath(), 'utf8')).toBe('ABCDEFGHIJ\n');
    expect(readFileSync(join(folder, LOG_FOLDER_NAME, 'kiosk.1.log'), 'utf8')).toBe('abcdefghij\n');
  });

  it('never throws when the folder cannot be made', () => {
    const notAFolder = join(folder, 'file');
    writeFileSync(notAFolder, 'x');
    const file = createLogFile();
    file.write('before\n');
    expect(() => file.attach(notAFolder)).not.toThrow();
    expect(() => file.write('after\n')).not.toThrow();
    expect(file.path()).toBeNull();
    expect(existsSync(join(notAFolder, LOG_FOLDER_NAME))).toBe(false);
  });
});

describe('createKioskLog', () => {
  it('writes each line to standard error and to the file, stamped and marked', () => {
    const file = createLogFile();
    file.attach(folder);
    const standardError: string[] = [];
    const log = createKioskLog(file, (line) => standardError.push(line));
    log('the managed file is ignored');
    expect(standardError).toHaveLength(1);
    expect(standardError[0]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z \[EPN Kiosk\] the managed file is ignored\n$/);
    expect(readFileSync(logPath(), 'utf8')).toBe(standardError[0]);
  });
});
