/**
 * Replaces a file so that a crash or a power cut at any moment leaves either the
 * previous content or the new one, never a mix: the new content goes to a temporary
 * file in the same folder, is flushed to the disk, and is then renamed over the
 * target (a rename within one folder is atomic on every file system the kiosk
 * supports). The folder itself is flushed afterwards where the platform allows, so
 * the rename survives a power cut too.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Keep the version being replaced as `<name>.bak` next to the file. */
  readonly backup?: boolean;
  /** Keep the version being replaced under this name instead (in the same folder, so the backup too is made by a rename); implies `backup`. */
  readonly backupPath?: string;
  /** Permissions of a new file (an existing file keeps its own). */
  readonly mode?: number;
}

export class AtomicWriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`could not save ${file}: ${reason}. The previous version of the file is unchanged.`, { cause });
    this.name = 'AtomicWriteError';
  }
}

export function backupPathOf(file: string): string {
  return `${file}.bak`;
}

/** Windows refuses to rename over a file that another program (an antivirus, an indexer) holds open for a moment. */
const TRANSIENT_RENAME_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
const RENAME_ATTEMPTS = 10;
const RENAME_RETRY_DELAY_MS = 50;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function pauseSync(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

function renameWithRetry(from: string, to: string): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      const transient = process.platform === 'win32' && TRANSIENT_RENAME_CODES.has(errorCode(error) ?? '');
      if (!transient || attempt >= RENAME_ATTEMPTS) throw error;
      pauseSync(RENAME_RETRY_DELAY_MS);
    }
  }
}

function temporaryNameFor(file: string, purpose: string): string {
  return join(dirname(file), `.${basename(file)}.${purpose}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone, or never created: nothing to clean up.
  }
}

function writeAndFlush(file: string, bytes: Uint8Array, mode: number, keepModeExactly: boolean): void {
  const descriptor = openSync(file, 'wx', mode);
  try {
    // A new file's mode is narrowed by the umask; a replaced file keeps exactly the permissions it had.
    if (keepModeExactly && process.platform !== 'win32') fchmodSync(descriptor, mode);
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(descriptor, bytes, written, bytes.length - written);
    }
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Flushes a folder's entries (the rename) to the disk. Best effort: Windows cannot
 * open a folder for this (NTFS journals renames itself) and some file systems
 * (network shares, FUSE mounts) refuse it; the new content is in place either way.
 */
function flushFolder(folder: string): void {
  if (process.platform === 'win32') return;
  let descriptor: number | undefined;
  try {
    descriptor = openSync(folder, 'r');
    fsyncSync(descriptor);
  } catch {
    // See above: only the durability of the rename across a power cut is in doubt.
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Keeps the current version as `<file>.bak`. A hard link costs nothing and the old
 * content is already on disk; file systems without links (FAT, some shares) get a
 * flushed copy. Either way the backup appears under its name through a rename, so a
 * half-written backup never replaces a good one.
 */
function keepBackup(file: string, backupPath: string): void {
  const staging = temporaryNameFor(backupPath, 'bak');
  try {
    try {
      linkSync(file, staging);
    } catch {
      copyFileSync(file, staging);
      const descriptor = openSync(staging, 'r+');
      try {
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    }
    renameWithRetry(staging, backupPath);
  } catch (error) {
    removeQuietly(staging);
    throw error;
  }
}

function existingMode(file: string): number | null {
  try {
    return statSync(file).mode & 0o7777;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes `data` to `file` atomically. Throws an {@link AtomicWriteError} when the
 * file could not be replaced; the previous content is then untouched and no
 * temporary file is left behind.
 */
export function writeFileAtomically(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temporary = temporaryNameFor(file, 'new');
  try {
    const previousMode = existingMode(file);
    writeAndFlush(temporary, bytes, previousMode ?? options.mode ?? 0o666, previousMode !== null);
    const backupPath = options.backupPath ?? (options.backup === true ? backupPathOf(file) : null);
    if (backupPath !== null && previousMode !== null) keepBackup(file, backupPath);
    renameWithRetry(temporary, file);
  } catch (error) {
    removeQuietly(temporary);
    throw new AtomicWriteError(file, error);
  }
  flushFolder(dirname(file));
}
