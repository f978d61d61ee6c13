/**
 * Visitor sessions in the browser preview.
 *
 * The preview keeps nothing about a visitor on disk: a session is this in-memory record
 * (the language chosen, when it began), and the wipe drops the record, so it reports a
 * verified wipe. What the browser itself stores for the services opened in its tabs
 * (cookies, history) belongs to that browser and is out of the preview's reach: the
 * preview is for trying a catalogue, the wipe a public PC needs is the Electron kiosk's.
 */
import type { VisitorFile, SessionEndReason } from '../../shared/contract';
import type { LanguageCode } from '../../shared/languages';
import type { VisitorFiles, VisitorSessions, WipeReport } from '../services/kiosk-handlers';

export interface PreviewSessionRecord {
  readonly language: LanguageCode;
  readonly startedAt: Date;
}

export class PreviewVisitorSessions implements VisitorSessions {
  #current: PreviewSessionRecord | null = null;
  #endedCount = 0;
  readonly #wipeReasons: SessionEndReason[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async begin(language: LanguageCode): Promise<void> {
    this.#current = { language, startedAt: new Date(this.#now()) };
  }

  async wipe(reason: SessionEndReason): Promise<WipeReport> {
    const startedAt = this.#now();
    if (this.#current !== null) this.#endedCount += 1;
    this.#current = null;
    this.#wipeReasons.push(reason);
    return { verified: true, durationMs: this.#now() - startedAt, problems: [] };
  }

  /** The session in progress, if any. */
  current(): PreviewSessionRecord | null {
    return this.#current;
  }

  /** How many visitor sessions have been wiped since the preview started. */
  endedCount(): number {
    return this.#endedCount;
  }

  /** Why each wipe ran, oldest first (the first is the one at start-up). */
  wipeReasons(): readonly SessionEndReason[] {
    return [...this.#wipeReasons];
  }
}

/**
 * The preview has no downloads: a service opens in a frame or a tab of the visitor's own
 * browser, which keeps its downloads itself and shows its own file picker, so the kiosk
 * never holds a file chooser to answer.
 */
export const previewVisitorFiles: VisitorFiles = {
  list: async (): Promise<VisitorFile[]> => [],
  choose: async (): Promise<void> => {
    throw new Error('the preview gives no files to services: they open in a frame or a tab of your browser, which shows its own file picker');
  },
};
