/**
 * A visitor's downloads: each lands in the visitor's own folder under the kiosk's data
 * folder, under a name the kiosk chose from the one the site suggested, without any save
 * dialog (a save dialog would show the PC's disk). They are listed in "My files" and
 * deleted with the folder at the wipe.
 *
 * A visitor's downloads together may not exceed a size limit, so one visitor cannot fill
 * the disk; a download past it is cancelled and the visitor told.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { DownloadItem } from 'electron';
import type { VisitorFile } from '../../shared/contract';
import type { ShellLog } from './shell-log';

/** The part of a DownloadItem the kiosk uses. */
export interface VisitorDownloadItem extends Pick<DownloadItem, 'getFilename' | 'setSavePath' | 'getReceivedBytes' | 'getTotalBytes' | 'cancel'> {
  on(event: 'updated', listener: (event: unknown, state: 'progressing' | 'interrupted') => void): unknown;
  on(event: 'done', listener: (event: unknown, state: 'completed' | 'cancelled' | 'interrupted') => void): unknown;
}

export const MAX_VISITOR_DOWNLOAD_BYTES = 512 * 1024 * 1024;

const MAX_NAME_LENGTH = 120;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;
const WINDOWS_RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name safe on every file system the kiosk runs on, from what the site suggested:
 * no folder part, no character Windows or Linux refuses, no reserved device name, no
 * leading or trailing dots or spaces, a bounded length, the extension kept; then made
 * unique with " (2)", " (3)", … when `taken` says the name is in use.
 */
export function safeDownloadName(suggested: string, taken: (name: string) => boolean): string {
  const lastPart = suggested.split(/[/\\]/).at(-1) ?? '';
  let name = lastPart.replace(UNSAFE_NAME_CHARACTERS, '_').replace(/^[\s.]+|[\s.]+$/g, '');
  if (name === '') name = 'download';
  if (WINDOWS_RESERVED_NAMES.test(name)) name = `_${name}`;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = extension === '' ? name : name.slice(0, dot);
  stem = stem.slice(0, MAX_NAME_LENGTH - extension.length - ' (999)'.length).replace(/[\s.]+$/, '') || 'download';
  let candidate = `${stem}${extension}`;
  for (let copy = 2; taken(candidate); copy += 1) candidate = `${stem} (${copy})${extension}`;
  return candidate;
}

interface Download {
  readonly item: VisitorDownloadItem;
  readonly name: string;
  inProgress: boolean;
  sizeBytes: number;
}

export interface VisitorDownloadsOptions {
  /** The visitor's own folder; created by Electron at the first download. */
  readonly folder: string;
  readonly maxBytes?: number;
  /** "My files" changed. */
  readonly onChanged: (files: VisitorFile[]) => void;
  /** A download could not be kept (too large, interrupted); `contents` is the page that started it. */
  readonly onRefused: (contents: unknown) => void;
  readonly log: ShellLog;
}

export class VisitorDownloads {
  private readonly downloads: Download[] = [];
  private cancellingAll = false;

  constructor(private readonly options: VisitorDownloadsOptions) {}

  /** Takes a download Electron announced with 'will-download'; must run before that event returns. */
  accept(item: VisitorDownloadItem, contents: unknown): void {
    const maxBytes = this.options.maxBytes ?? MAX_VISITOR_DOWNLOAD_BYTES;
    const names = new Set(this.downloads.map((download) => download.name));
    const name = safeDownloadName(item.getFilename(), (candidate) => names.has(candidate) || existsSync(path.join(this.options.folder, candidate)));
    // Set even for a download cancelled below: without a save path Electron would ask where to save it.
    item.setSavePath(path.join(this.options.folder, name));
    const used = this.bytesUsed();
    if (this.cancellingAll || used + item.getTotalBytes() > maxBytes) {
      this.options.log('refused a download: it would exceed the visitor\'s download limit');
      item.cancel();
      this.options.onRefused(contents);
      return;
    }
    const download: Download = { item, name, inProgress: true, sizeBytes: 0 };
    this.downloads.push(download);
    let refused = false;
    item.on('updated', () => {
      download.sizeBytes = item.getReceivedBytes();
      if (!refused && this.bytesUsed() > maxBytes) {
        refused = true;
        this.options.log('cancelled a download: it exceeded the visitor\'s download limit');
        item.cancel();
        this.options.onRefused(contents);
      }
    });
    item.on('done', (_event, state) => {
      download.inProgress = false;
      if (state === 'completed') {
        download.sizeBytes = item.getReceivedBytes();
      } else {
        this.forget(download);
        if (state === 'interrupted' && !refused) this.options.onRefused(contents);
      }
      this.changed();
    });
    this.changed();
  }

  list(): VisitorFile[] {
    return this.downloads.map(({ name, sizeBytes, inProgress }) => ({ name, sizeBytes, inProgress }));
  }

  /**
   * The absolute paths of the visitor's own finished downloads named `names`, for a
   * service page's file chooser. A name is looked up among this visitor's downloads,
   * never read as a path: anything else (another folder, a file still downloading, one
   * not downloaded by this visitor, the same file twice) throws and gives nothing.
   */
  pathsForUpload(names: readonly string[]): string[] {
    const folder = path.resolve(this.options.folder);
    if (new Set(names).size !== names.length) throw new Error('the same file was chosen twice');
    return names.map((name) => {
      const download = this.downloads.find((candidate) => candidate.name === name);
      if (download === undefined) throw new Error('a chosen file is not one of the visitor\'s files');
      if (download.inProgress) throw new Error('a chosen file is still downloading');
      const resolved = path.resolve(folder, download.name);
      // The kiosk chose the name (safeDownloadName); this holds even if that ever changed.
      if (path.dirname(resolved) !== folder) throw new Error('a chosen file is outside the visitor\'s folder');
      return resolved;
    });
  }

  /** Stops every download still running, so nothing is written into the folder after it is deleted. */
  cancelAll(): void {
    this.cancellingAll = true;
    for (const download of [...this.downloads]) {
      if (download.inProgress) download.item.cancel();
    }
  }

  private bytesUsed(): number {
    return this.downloads.reduce((sum, download) => sum + Math.max(download.sizeBytes, download.item.getReceivedBytes()), 0);
  }

  private forget(download: Download): void {
    const index = this.downloads.indexOf(download);
    if (index !== -1) this.downloads.splice(index, 1);
    // Chromium removes a cancelled download's partial file itself; this catches what it leaves.
    fs.rm(path.join(this.options.folder, download.name), { force: true }).catch((error: unknown) => {
      this.options.log(`a cancelled download's file could not be removed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private changed(): void {
    if (!this.cancellingAll) this.options.onChanged(this.list());
  }
}
