/**
 * Seeded generators of raw usage events for the statistics tests: the same seed gives the
 * same days, so a failing case can be replayed.
 */
import type { LanguageCode } from '../../../shared/languages';
import type { StoredEvent } from '../../../shared/statistics/daily-figures';
import { ACCESSIBILITY_OPTIONS, SESSION_END_REASONS, type UsageEvent } from '../../../shared/usage-events';

/** mulberry32: a small, well-mixed 32-bit generator. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export function integer(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

const LANGUAGES: LanguageCode[] = ['fr', 'fr', 'fr', 'nl', 'nl', 'de', 'en'];
const SERVICES = ['tax-on-web', 'my-pension', 'job-search', 'train-tickets', 'cpas'];

let sessionCounter = 0;

/** The raw events of one day of a small kiosk: a handful of sessions, some help, some options. */
export function randomDayEvents(random: () => number, day: string, options: { maxSessions?: number } = {}): StoredEvent[] {
  const events: StoredEvent[] = [];
  const baseMinute = 29_000_000 + integer(random, 0, 1000);
  const add = (sessionKey: string, event: UsageEvent) => events.push({ day, minute: baseMinute + events.length, sessionKey, event });
  const sessions = integer(random, 0, options.maxSessions ?? 12);
  for (let index = 0; index < sessions; index += 1) {
    sessionCounter += 1;
    const key = `s${sessionCounter}`;
    // Now and then a session began yesterday (ended today) or ends tomorrow.
    const startedToday = random() > 0.1;
    const endsToday = random() > 0.1;
    if (startedToday) add(key, { type: 'session-started', language: pick(random, LANGUAGES) });
    for (let opened = integer(random, 0, 3); opened > 0; opened -= 1) add(key, { type: 'service-opened', serviceId: pick(random, SERVICES) });
    if (random() < 0.3) add(key, { type: 'language-changed', language: pick(random, LANGUAGES) });
    for (const option of ACCESSIBILITY_OPTIONS) {
      if (random() < 0.15) {
        add(key, { type: 'accessibility-on', option });
        if (random() < 0.3) add(key, { type: 'accessibility-on', option });
      }
    }
    if (random() < 0.35) {
      add(key, { type: 'help-requested', serviceId: random() < 0.7 ? pick(random, SERVICES) : null });
      const wait = integer(random, 5, 1500);
      const outcome = random();
      if (outcome < 0.7) {
        add(key, { type: 'help-acknowledged', waitSeconds: wait });
        if (random() < 0.8) add(key, { type: 'help-resolved', waitSeconds: wait + integer(random, 30, 900) });
      } else if (outcome < 0.9) add(key, { type: 'help-cancelled', waitSeconds: wait });
    }
    if (endsToday) {
      add(key, { type: 'session-ended', reason: pick(random, SESSION_END_REASONS), durationSeconds: integer(random, 20, random() < 0.1 ? 14_000 : 3_600) });
      add('', { type: 'wipe-done', durationMs: integer(random, 1, 5) * 1000, verified: random() > 0.1, attempt: 1 });
    }
  }
  return events;
}
