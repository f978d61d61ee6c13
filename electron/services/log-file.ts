/**
 * The kiosk's log kept in a file of its data folder (`logs/kiosk.log`), besides standard
 * error: under Windows' Shell Launcher nothing keeps standard error, and IT departments
 * need the log to see why a configuration was ignored or a wipe failed. The lines carry
 * what the shell logs and nothing more (never a URL, a title or what a visitor typed).
 *
 * Bounded: past `maxBytes` the file is renamed `kiosk.1.log` (the previous one dropped)
 * and a new one begins, so the log never fills the disk. Lines logged before the file is
 * known (the data folder is chosen after start-up) are kept in memory and written first.
 * Writing never throws: a log that cannot be written must not stop the kiosk.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const LOG_FOLDER_NAME = 'logs';
export const LOG_FILE_NAME = 'kiosk.log';
export const DEFAULT_LOG_FILE_MAX_BYTES = 1024 * 1024;
/** Lines kept while no file is attached yet: start-up says little. */
const MAX_EARLY_LINES = 200;

export interface LogFile {
  /** Writes one finished line (ending in a newline). */
  write(line: string): void;
  /** Starts writing to `<dataDir>/logs/kiosk.log`, with the lines logged so far first. */
  attach(dataDir: string): void;
  /** The file written to, or null before attach() or after writing failed. */
  path(): string | null;
}

export function createLogFile(options: { readonly maxBytes?: number } = {}): LogFile {
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_FILE_MAX_BYTES;
  let file: string | null = null;
  let size = 0;
  let early: string[] = [];

  const append = (line: string) => {
    if (file === null) return;
    try {
      if (size + Buffer.byteLength(line) > maxBytes && size > 0) {
        renameSync(file, join(dirname(file), LOG_FILE_NAME.replace(/\.log$/, '.1.log')));
        size = 0;
      }
      appendFileSync(file, line, { mode: 0o640 });
      size += Buffer.byteLength(line);
    } catch {
      // The disk is full or the folder gone: standard error still has the line.
      file = null;
    }
  };

  return {
    write(line) {
      if (file === null) {
        if (early.length < MAX_EARLY_LINES) early.push(line);
        return;
      }
      append(line);
    },
    attach(dataDir) {
      const target = join(dataDir, LOG_FOLDER_NAME, LOG_FILE_NAME);
      try {
        mkdirSync(dirname(target), { recursive: true });
        try {
          size = statSync(target).size;
        } catch {
          size = 0;
        }
        file = target;
      } catch {
        file = null;
      }
      const pending = early;
      early = [];
      for (const line of pending) append(line);
    },
    path: () => file,
  };
}
