/**
 * One visitor's stay in Electron terms, and the wipe that ends it.
 *
 * Each visitor gets a fresh, randomly named in-memory partition (never `persist:`), used
 * by every service view they open: nothing of it is ever written to disk, which is the
 * wipe's first line. Their downloads land in a folder of their own (visitor-downloads.ts),
 * unless the service on screen does not allow downloads: then none is kept.
 *
 * The wipe is ordered and awaited, and every step runs even when an earlier one failed:
 * 1. close the service views and stop downloads still running;
 * 2. close the partition's connections first, so no response still in flight lands in a
 *    store after it was cleared; then clear everything the partition holds (clearData,
 *    clearStorageData with every storage type, HTTP cache, code caches, auth cache, host
 *    resolver cache); clear the launcher's own web storage;
 * 3. delete every visitor's downloads folder;
 * 4. clear the clipboard (and, on Linux, the selection);
 * 5. verify instead of trusting: the partition was in memory, the downloads folder is
 *    gone, the cookie jar is empty, the HTTP cache is empty, the clipboard is empty, and
 *    a probe page on every site the visitor used (wipe-probe.ts) finds no cookies and no
 *    storage, first in the cleared partition, then in a fresh visitor partition — what
 *    the next visitor would find.
 * The report lists every step that failed and every trace found; `verified` is true only
 * when there is none. A partition whose wipe was not verified is kept and wiped again by
 * every later wipe until one verifies it: the session controller retries an unverified
 * wipe and, failing that, puts the kiosk out of order.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Clipboard, ClearStorageDataOptions, Event as ElectronEvent, Session } from 'electron';
import type { SessionEndReason, VisitorFile } from '../../shared/contract';
import type { LanguageCode } from '../../shared/languages';
import type { VisitorFiles, VisitorSessions, WipeReport } from '../services/kiosk-handlers';
import type { ShellLog } from './shell-log';
import { VisitorDownloads, type VisitorDownloadItem } from './visitor-downloads';
import { PROBE_TIMEOUT_MS, probeSession, probeableOrigin, type ProbePage, type ProbedSession } from './wipe-probe';

/** The part of an Electron session a visitor's partition needs. */
export interface VisitorSession
  extends ProbedSession,
    Pick<
      Session,
      | 'isPersistent'
      | 'getStoragePath'
      | 'clearData'
      | 'clearStorageData'
      | 'clearCache'
      | 'clearCodeCaches'
      | 'clearAuthCache'
      | 'clearHostResolverCache'
      | 'closeAllConnections'
      | 'getCacheSize'
    > {
  on(event: 'will-download', listener: (event: Pick<ElectronEvent, 'preventDefault'>, item: VisitorDownloadItem, webContents: unknown) => void): unknown;
}

/** The part of Electron's clipboard the wipe uses; `selection` exists on Linux only. */
export interface KioskClipboard extends Pick<Clipboard, 'clear' | 'readText'> {
  readonly selection?: Pick<Clipboard, 'clear' | 'readText'> | undefined;
}

export const VISITOR_PARTITION_PREFIX = 'visitor-';

/** Every storage type Electron 45's clearStorageData knows (WebSQL is gone from Chromium; clearData covers it). */
export const ALL_STORAGE_TYPES = [
  'cookies',
  'filesystem',
  'indexdb',
  'localstorage',
  'shadercache',
  'serviceworkers',
  'cachestorage',
] as const satisfies NonNullable<ClearStorageDataOptions['storages']>;

/** The partition's clear calls, in the order the wipe makes them. */
export const PARTITION_CLEARS: readonly { readonly step: string; readonly run: (session: VisitorSession) => Promise<void> }[] = [
  { step: 'close the partition\'s connections', run: (session) => session.closeAllConnections() },
  { step: 'clear every kind of browsing data', run: (session) => session.clearData() },
  { step: 'clear every storage type', run: (session) => session.clearStorageData({ storages: [...ALL_STORAGE_TYPES] }) },
  { step: 'clear the HTTP cache', run: (session) => session.clearCache() },
  { step: 'clear the code caches', run: (session) => session.clearCodeCaches({ urls: [] }) },
  { step: 'clear the authentication cache', run: (session) => session.clearAuthCache() },
  { step: 'clear the host resolver cache', run: (session) => session.clearHostResolverCache() },
];

/** A visitor's sites are few (allow-lists are short); more than this are not all probed. */
export const MAX_PROBED_ORIGINS = 64;

export interface ElectronVisitorSessionsOptions {
  /** session.fromPartition: the same name always gives the same session. */
  readonly fromPartition: (partition: string) => VisitorSession;
  /** The launcher's session (the default one): its web storage is cleared at every wipe. */
  readonly launcherSession: () => Pick<Session, 'clearStorageData'>;
  /** Closes every service view, so no page of the visitor is alive while its data is cleared. */
  readonly closeServiceViews: () => Promise<void>;
  /** Where visitors' downloads folders live (one subfolder per visitor). */
  readonly downloadsRoot: string;
  readonly clipboard: KioskClipboard;
  /** Opens an unattached page in `partition`, for the probe. */
  readonly openProbePage: (partition: string) => ProbePage;
  readonly onFilesChanged: (files: VisitorFile[]) => void;
  /** A download could not be kept; `contents` is the page that started it. */
  readonly onDownloadRefused: (contents: unknown) => void;
  /**
   * False when the service on screen does not allow downloads (its `downloads` option):
   * the presenter's serviceOnScreenAllowsDownloads. Without it every download is kept.
   */
  readonly downloadsAllowed?: () => boolean;
  readonly log: ShellLog;
  /** Where partition names get their randomness; crypto.randomUUID unless a test pins it. */
  readonly randomId?: () => string;
  readonly now?: () => number;
  readonly probeTimeoutMs?: number;
  readonly maxDownloadBytes?: number;
}

interface Visitor {
  readonly partition: string;
  readonly session: VisitorSession;
  readonly downloads: VisitorDownloads;
  /** The origins (scheme://host:port) the visitor's pages reached; kept in memory only, for the probe. */
  readonly origins: Set<string>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isInMemory(partition: string, session: Pick<Session, 'isPersistent' | 'getStoragePath'>): boolean {
  return !partition.startsWith('persist:') && !session.isPersistent() && session.getStoragePath() === null;
}

export class ElectronVisitorSessions implements VisitorSessions, Pick<VisitorFiles, 'list'> {
  private visitor: Visitor | undefined;
  /** Partitions whose last wipe found traces or failed a step: every later wipe tries them again. */
  private unverified: Visitor[] = [];
  private readonly randomId: () => string;
  private readonly now: () => number;

  constructor(private readonly options: ElectronVisitorSessionsOptions) {
    this.randomId = options.randomId ?? randomUUID;
    this.now = options.now ?? (() => performance.now());
  }

  async begin(_language: LanguageCode): Promise<void> {
    // The controller wipes between visitors; a partition still here means a wipe was
    // skipped, and its pages and downloads must not survive into the new visitor's stay.
    if (this.visitor !== undefined) {
      const report = await this.wipe('visitor');
      if (!report.verified) this.options.log(`a partition left over from a previous visitor could not be wiped cleanly: ${report.problems.join('; ')}`);
    }
    this.startVisitor();
  }

  /** The partition service views of the current visitor use; a service opened before any language choice gets one too. */
  partitionForServiceView(): string {
    return (this.visitor ?? this.startVisitor()).partition;
  }

  /** The current visitor's partition name, if a visitor session is open. */
  currentPartition(): string | undefined {
    return this.visitor?.partition;
  }

  /** Whether `session` is the current visitor's (whose downloads are kept, not cancelled). */
  ownsSession(session: unknown): boolean {
    return this.visitor !== undefined && this.visitor.session === session;
  }

  /** A page of the visitor reached `url`: its origin is probed at the wipe. */
  recordVisit(url: string): void {
    const origin = probeableOrigin(url);
    if (origin === undefined || this.visitor === undefined) return;
    this.visitor.origins.add(origin);
  }

  async list(): Promise<VisitorFile[]> {
    return this.visitor?.downloads.list() ?? [];
  }

  /** The current visitor's finished downloads named `names`, as absolute paths (VisitorDownloads.pathsForUpload); throws with no visitor. */
  pathsForUpload(names: readonly string[]): string[] {
    if (this.visitor === undefined) throw new Error('there is no visitor whose files could be given');
    return this.visitor.downloads.pathsForUpload(names);
  }

  async wipe(reason: SessionEndReason): Promise<WipeReport> {
    const startedAt = this.now();
    const problems: string[] = [];
    const run = async (into: string[], name: string, action: () => unknown): Promise<void> => {
      try {
        await action();
      } catch (error) {
        into.push(`${name}: ${describe(error)}`);
      }
    };
    const check = (into: string[], name: string, holds: () => boolean | Promise<boolean>): Promise<void> =>
      run(into, name, async () => {
        if (!(await holds())) throw new Error('not so');
      });

    // A partition whose earlier wipe was not verified is wiped again with the current one.
    const visitors = [...this.unverified, ...(this.visitor === undefined ? [] : [this.visitor])];
    this.visitor = undefined;
    this.unverified = [];

    await run(problems, 'close the service views', () => this.options.closeServiceViews());
    const perVisitor = new Map<Visitor, string[]>(visitors.map((visitor) => [visitor, []]));
    for (const [visitor, found] of perVisitor) {
      await run(found, 'stop the downloads in progress', () => visitor.downloads.cancelAll());
      for (const clear of PARTITION_CLEARS) await run(found, clear.step, () => clear.run(visitor.session));
    }
    await run(problems, 'clear the launcher\'s web storage', () => this.options.launcherSession().clearStorageData());
    await run(problems, 'delete the downloads folder', () => fs.rm(this.options.downloadsRoot, { recursive: true, force: true, maxRetries: 3 }));
    await run(problems, 'clear the clipboard', () => {
      this.options.clipboard.clear();
      this.options.clipboard.selection?.clear();
    });

    await check(problems, 'the downloads folder is gone', () =>
      fs.stat(this.options.downloadsRoot).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
      ),
    );
    await check(problems, 'the clipboard is empty', async () => {
      const texts = await Promise.all([this.options.clipboard.readText(), this.options.clipboard.selection?.readText() ?? Promise.resolve('')]);
      return texts.every((text) => text === '');
    });
    for (const [visitor, found] of perVisitor) {
      await check(found, 'the visitor\'s partition was kept in memory only', () => isInMemory(visitor.partition, visitor.session));
      await check(found, 'the HTTP cache is empty', async () => (await visitor.session.getCacheSize()) === 0);
      const origins = [...visitor.origins].slice(0, MAX_PROBED_ORIGINS);
      if (visitor.origins.size > origins.length) this.options.log(`the probe covers ${origins.length} of the ${visitor.origins.size} sites the visitor used`);
      await run(found, 'probe the cleared partition', async () => {
        found.push(...(await this.probe(visitor.session, visitor.partition, origins, 'the cleared partition')));
      });
      await run(found, 'probe a fresh visitor partition', async () => {
        const partition = this.newPartitionName();
        const session = this.options.fromPartition(partition);
        if (!isInMemory(partition, session)) throw new Error('a fresh partition would not be in memory');
        found.push(...(await this.probe(session, partition, origins, 'a fresh visitor partition')));
      });
      if (found.length > 0) this.unverified.push(visitor);
      problems.push(...found);
    }

    const report: WipeReport = { verified: problems.length === 0, durationMs: Math.max(0, Math.round(this.now() - startedAt)), problems };
    this.options.log(`wipe (${reason}) ${report.verified ? 'verified' : 'NOT verified'} in ${report.durationMs} ms`);
    return report;
  }

  private probe(session: ProbedSession, partition: string, origins: readonly string[], label: string): Promise<string[]> {
    return probeSession(session, origins, label, {
      openPage: () => this.options.openProbePage(partition),
      timeoutMs: this.options.probeTimeoutMs ?? PROBE_TIMEOUT_MS,
      log: this.options.log,
    });
  }

  private newPartitionName(): string {
    return `${VISITOR_PARTITION_PREFIX}${this.randomId()}`;
  }

  private startVisitor(): Visitor {
    const partition = this.newPartitionName();
    const session = this.options.fromPartition(partition);
    if (!isInMemory(partition, session)) throw new Error(`partition "${partition}" would be kept on disk: refusing to use it for a visitor`);
    const downloads = new VisitorDownloads({
      folder: path.join(this.options.downloadsRoot, partition),
      ...(this.options.maxDownloadBytes === undefined ? {} : { maxBytes: this.options.maxDownloadBytes }),
      onChanged: (files) => {
        if (this.visitor?.downloads === downloads) this.options.onFilesChanged(files);
      },
      onRefused: (contents) => this.options.onDownloadRefused(contents),
      log: this.options.log,
    });
    const visitor: Visitor = { partition, session, downloads, origins: new Set() };
    session.on('will-download', (event, item, contents) => {
      // A download of a visitor who has left (its page was closing) is not kept.
      if (this.visitor !== visitor) {
        event.preventDefault();
        return;
      }
      if (this.options.downloadsAllowed?.() === false) {
        // Refused before any save path is set: Chromium cancels it and writes nothing.
        event.preventDefault();
        this.options.log('refused a download: the service on screen does not allow downloads');
        this.options.onDownloadRefused(contents);
        return;
      }
      downloads.accept(item, contents);
    });
    this.visitor = visitor;
    this.options.onFilesChanged([]);
    return visitor;
  }
}
