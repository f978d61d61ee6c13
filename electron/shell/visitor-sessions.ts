/**
 * One visitor's stay in Electron terms: each visitor gets a fresh, randomly named
 * in-memory partition (never `persist:`), used by every service view they open, and
 * cleared when they leave. The in-memory partition is the first line of the wipe: nothing
 * of it is ever written to disk. The clear calls are the second; `erased` is true only
 * when every one of them resolved. (The verified wipe, with a probe, downloads and the
 * clipboard, comes with the visitor-session issue.)
 */
import { randomUUID } from 'node:crypto';
import type { Session } from 'electron';
import type { VisitorSessions } from '../services/kiosk-handlers';
import type { LanguageCode } from '../../shared/languages';
import type { ShellLog } from './shell-log';

/** The part of an Electron session the wipe uses. */
export type VisitorSession = Pick<Session, 'isPersistent' | 'clearStorageData' | 'clearCache' | 'clearAuthCache' | 'clearHostResolverCache'>;

export const VISITOR_PARTITION_PREFIX = 'visitor-';

export interface ElectronVisitorSessionsOptions {
  /** session.fromPartition: the same name always gives the same session. */
  readonly fromPartition: (partition: string) => VisitorSession;
  /** Closes every service view, so no page of the visitor is alive while its data is cleared. */
  readonly closeServiceViews: () => Promise<void>;
  readonly log: ShellLog;
  /** Where partition names get their randomness; crypto.randomUUID unless a test pins it. */
  readonly randomId?: () => string;
}

export class ElectronVisitorSessions implements VisitorSessions {
  private partition: string | undefined;
  private session: VisitorSession | undefined;
  private readonly randomId: () => string;

  constructor(private readonly options: ElectronVisitorSessionsOptions) {
    this.randomId = options.randomId ?? randomUUID;
  }

  async begin(_language: LanguageCode): Promise<void> {
    // A visitor who left without "End session" must not hand anything to the next one.
    if (this.partition !== undefined) {
      const { erased } = await this.end();
      if (!erased) this.options.log('the previous visitor\'s partition could not be cleared; a new partition is used regardless');
    }
    this.startPartition();
  }

  /**
   * The partition service views of the current visitor use. A service opened before any
   * language choice still gets a partition of its own, wiped like any other.
   */
  partitionForServiceView(): string {
    const partition = this.partition ?? this.startPartition();
    if (this.session === undefined) {
      const session = this.options.fromPartition(partition);
      if (session.isPersistent()) throw new Error(`partition "${partition}" is persistent: refusing to show a service in it`);
      this.session = session;
    }
    return partition;
  }

  /** The current visitor's partition name, if a visitor session is open. */
  currentPartition(): string | undefined {
    return this.partition;
  }

  async end(): Promise<{ erased: boolean }> {
    let viewsClosed = true;
    try {
      await this.options.closeServiceViews();
    } catch (error) {
      viewsClosed = false;
      this.options.log(`closing the service views failed: ${describe(error)}`);
    }
    const session = this.session;
    this.partition = undefined;
    this.session = undefined;
    if (session === undefined) return { erased: viewsClosed };
    const cleared = await Promise.allSettled([
      session.clearStorageData(),
      session.clearCache(),
      session.clearAuthCache(),
      session.clearHostResolverCache(),
    ]);
    const failures = cleared.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    for (const failure of failures) this.options.log(`clearing the visitor's partition failed: ${describe(failure.reason)}`);
    return { erased: viewsClosed && failures.length === 0 };
  }

  private startPartition(): string {
    this.partition = `${VISITOR_PARTITION_PREFIX}${this.randomId()}`;
    this.session = undefined;
    return this.partition;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
