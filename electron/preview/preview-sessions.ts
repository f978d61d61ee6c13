/**
 * Visitor sessions in the browser preview.
 *
 * The preview keeps nothing about a visitor on disk: a session is this in-memory record
 * (the language chosen, when it began), and ending it drops the record, so `end` reports
 * `erased: true`. What the browser itself stores for the services opened in its tabs
 * (cookies, history) belongs to that browser and is out of the preview's reach: the
 * preview is for trying a catalogue, the wipe a public PC needs is the Electron kiosk's.
 */
import type { VisitorSessions } from '../services/kiosk-handlers';
import type { LanguageCode } from '../../shared/languages';

export interface PreviewSessionRecord {
  readonly language: LanguageCode;
  readonly startedAt: Date;
}

export class PreviewVisitorSessions implements VisitorSessions {
  #current: PreviewSessionRecord | null = null;
  #endedCount = 0;
  readonly #now: () => Date;

  constructor(now: () => Date = () => new Date()) {
    this.#now = now;
  }

  async begin(language: LanguageCode): Promise<void> {
    // Choosing a language again (a second visitor after a page reload) starts afresh.
    this.#current = { language, startedAt: this.#now() };
  }

  async end(): Promise<{ erased: boolean }> {
    if (this.#current !== null) this.#endedCount += 1;
    this.#current = null;
    return { erased: true };
  }

  /** The session in progress, if any. */
  current(): PreviewSessionRecord | null {
    return this.#current;
  }

  /** How many sessions have ended since the preview started. */
  endedCount(): number {
    return this.#endedCount;
  }
}
