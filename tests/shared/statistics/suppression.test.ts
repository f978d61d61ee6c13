/**
 * Small-count suppression at its boundaries (threshold − 1, threshold, threshold + 1),
 * the complementary rule on hand-made days, and a property over many generated days:
 * no suppressed cell can be recomputed from what is published.
 */
import { describe, expect, it } from 'vitest';
import { emptyDailyFigures, rollUpDay, type DailyFigures, type StoredEvent } from '../../../shared/statistics/daily-figures';
import { SESSION_SECONDS_BUCKETS, WAIT_SECONDS_BUCKETS, histogramOf } from '../../../shared/statistics/percentiles';
import { PublishedDailyFiguresSchema, suppressCounts, type PublishedDailyFigures } from '../../../shared/statistics/suppression';
import type { UsageEvent } from '../../../shared/usage-events';
import { integer, randomDayEvents, seeded } from './generate';

const DAY = '2025-03-14';

function figures(changes: Partial<DailyFigures>): DailyFigures {
  return { ...emptyDailyFigures(DAY), ...changes };
}

function sessionsIn(languages: Record<string, number>): Partial<DailyFigures> {
  const sessions = Object.values(languages).reduce((a, b) => a + b, 0);
  return { sessions, languages };
}

function eventsDay(events: UsageEvent[]): DailyFigures {
  return rollUpDay(
    DAY,
    events.map((event, index): StoredEvent => ({ day: DAY, minute: index, sessionKey: `k${index}`, event })),
  );
}

describe('primary suppression', () => {
  for (const threshold of [2, 3, 5]) {
    it(`with threshold ${threshold}: ${threshold - 1} is suppressed, ${threshold} and ${threshold + 1} are published, 0 stays 0`, () => {
      const check = (count: number) => suppressCounts(figures({ languageChanges: count, wipes: { total: count, unverified: 0 } }), threshold);
      expect(check(threshold - 1).languageChanges).toBeNull();
      expect(check(threshold - 1).wipes).toEqual({ total: null, unverified: 0 });
      expect(check(threshold).languageChanges).toBe(threshold);
      expect(check(threshold + 1).languageChanges).toBe(threshold + 1);
      expect(check(0).languageChanges).toBe(0);
      expect(check(1).languageChanges).toBeNull();
    });

    it(`with threshold ${threshold}: durations and waits are shown from ${threshold} values on`, () => {
      const ended = (count: number) =>
        eventsDay([
          ...Array.from({ length: count }, (_, index): UsageEvent => ({ type: 'session-ended', reason: 'visitor', durationSeconds: 600 + index })),
          ...Array.from({ length: count }, (_, index): UsageEvent => ({ type: 'help-acknowledged', waitSeconds: 100 + index })),
        ]);
      const below = suppressCounts(ended(threshold - 1), threshold);
      expect(below.sessionSeconds).toMatchObject({ total: null, median: null, p90: null });
      expect(below.help.waitSeconds).toMatchObject({ median: null, p90: null });
      const at = suppressCounts(ended(threshold), threshold);
      expect(at.sessionSeconds.total).toBe(Array.from({ length: threshold }, (_, index) => 600 + index).reduce((a, b) => a + b, 0));
      expect(at.sessionSeconds.median).toBe(600 + Math.ceil(threshold / 2) - 1);
      expect(at.help.waitSeconds.median).toBe(100 + Math.ceil(threshold / 2) - 1);
      const above = suppressCounts(ended(threshold + 1), threshold);
      expect(above.sessionSeconds.p90).toBe(600 + threshold);
      const none = suppressCounts(ended(0), threshold);
      expect(none.sessionSeconds).toMatchObject({ total: 0, median: null, p90: null });
    });
  }

  it('suppresses histogram buckets one by one', () => {
    const day = figures({ help: { ...emptyDailyFigures(DAY).help, acknowledged: 7, requests: 7, waitSeconds: { median: 40, p90: 200, histogram: histogramOf(WAIT_SECONDS_BUCKETS, [10, 20, 30, 40, 50, 60, 200]) } } });
    const published = suppressCounts(day, 3);
    // Buckets: [0,30): 2 → suppressed; [30,60): 3; [60,120): 1 → suppressed; [180,300): 1 → suppressed.
    expect(published.help.waitSeconds.histogram.slice(0, 6)).toEqual([null, 3, null, 0, null, 0]);
    expect(published.help.waitSeconds.median).toBe(40);
  });

  it('refuses a threshold outside 2..20', () => {
    for (const threshold of [1, 21, 2.5, Number.NaN]) expect(() => suppressCounts(emptyDailyFigures(DAY), threshold)).toThrow(RangeError);
  });

  it('publishes an empty day as zeros, valid for the schema', () => {
    const published = suppressCounts(emptyDailyFigures(DAY), 3);
    expect(published.sessions).toBe(0);
    expect(published.sessionSeconds.histogram.every((count) => count === 0)).toBe(true);
    expect(PublishedDailyFiguresSchema.parse(published)).toEqual(published);
  });
});

describe('complementary suppression', () => {
  it('hides the next smallest cell when one language is suppressed and the sessions are published', () => {
    const published = suppressCounts(figures(sessionsIn({ fr: 1, nl: 4, de: 6 })), 3);
    expect(published.sessions).toBe(11);
    expect(published.languages).toEqual({ fr: null, nl: null, de: 6 });
  });

  it('breaks a tie between equal cells by name', () => {
    const published = suppressCounts(figures(sessionsIn({ fr: 1, nl: 4, de: 4 })), 3);
    expect(published.languages).toEqual({ fr: null, de: null, nl: 4 });
  });

  it('leaves a group with two suppressed cells that are not both 1', () => {
    const published = suppressCounts(figures(sessionsIn({ fr: 1, nl: 2, de: 9 })), 3);
    expect(published.languages).toEqual({ fr: null, nl: null, de: 9 });
  });

  it('hides a third cell when the suppressed cells can only be 1 each', () => {
    // fr and nl suppressed, sessions − de = 2 = their number: both must be 1.
    const published = suppressCounts(figures(sessionsIn({ fr: 1, nl: 1, de: 4, en: 9 })), 3);
    expect(published.languages).toEqual({ fr: null, nl: null, de: null, en: 9 });
  });

  it('hides the total when every cell is 1 and nothing else can be hidden', () => {
    const published = suppressCounts(figures(sessionsIn({ fr: 1, nl: 1, de: 1 })), 3);
    expect(published.languages).toEqual({ fr: null, nl: null, de: null });
    expect(published.sessions).toBeNull();
  });

  it('protects help outcomes against the requests, and a suppressed total whose parts would give it away', () => {
    const day = eventsDay([
      ...Array.from({ length: 10 }, (): UsageEvent => ({ type: 'help-requested', serviceId: null })),
      ...Array.from({ length: 4 }, (): UsageEvent => ({ type: 'help-acknowledged', waitSeconds: 40 })),
      { type: 'help-resolved', waitSeconds: 100 },
      ...Array.from({ length: 5 }, (): UsageEvent => ({ type: 'help-cancelled', waitSeconds: 10 })),
    ]);
    const published = suppressCounts(day, 3);
    // resolved (1) is suppressed, so the smallest other outcome, acknowledged (4), is too;
    // the wait histogram (4 in one bucket) would give acknowledged back: its bucket is hidden.
    expect(published.help).toMatchObject({ requests: 10, acknowledged: null, resolved: null, cancelled: 5 });
    expect(published.help.waitSeconds.histogram.every((count) => count === 0 || count === null)).toBe(true);
    expect(published.help.waitSeconds.histogram[1]).toBeNull();
    // The median comes from 4 values, at least the threshold: it stays.
    expect(published.help.waitSeconds.median).toBe(40);
  });

  it('never leaves one service alone suppressed, and leaves a lone small service as it is', () => {
    const open = (serviceOpenings: Record<string, number>) => suppressCounts(figures({ serviceOpenings }), 3).serviceOpenings;
    expect(open({ bank: 1, cpas: 7, 'tax-on-web': 12 })).toEqual({ bank: null, cpas: null, 'tax-on-web': 12 });
    expect(open({ bank: 2 })).toEqual({ bank: null });
    expect(open({ bank: 3, cpas: 0 })).toEqual({ bank: 3, cpas: 0 });
  });

  it('ties end reasons and session lengths together: both add up to the sessions that ended', () => {
    // Threshold 2: two sessions, one ended idle and one by a crash, both lengths in the same bucket.
    const day = eventsDay([
      { type: 'session-started', language: 'fr' },
      { type: 'session-started', language: 'fr' },
      { type: 'session-ended', reason: 'idle', durationSeconds: 400 },
      { type: 'session-ended', reason: 'crash', durationSeconds: 500 },
    ]);
    const published = suppressCounts(day, 2);
    // idle and crash are 1 each; the histogram (2) and the sessions (2) would both prove it.
    expect(published.endReasons).toEqual({ idle: null, crash: null });
    expect(published.sessionSeconds.histogram[3]).toBeNull();
    expect(published.sessions).toBeNull();
    // The sessions' only language would then give the sessions back: hidden too.
    expect(published.languages).toEqual({ fr: null });
  });
});

/**
 * The linear facts an outsider knows about a day: the languages add up to the sessions;
 * the end reasons and the length buckets both add up to the sessions that ended (not
 * published); the wait buckets add up to the acknowledged requests. A suppressed cell is
 * at least 1. A suppressed cell is recomputable when no other assignment of the unknowns
 * that keeps every fact true gives it another value; this looks for such an assignment
 * among moves of ±1 on up to three unknowns.
 */
function recomputableCells(truth: DailyFigures, published: PublishedDailyFigures): string[] {
  interface Unknown {
    readonly value: number;
    readonly min: number;
  }
  const unknowns = new Map<string, Unknown>();
  const equations: { name: string; coefficient: number }[][] = [];
  const cell = (name: string, value: number, shown: number | null | undefined): string => {
    if (shown === null) unknowns.set(name, { value, min: 1 });
    return name;
  };
  const ended = truth.sessionSeconds.histogram.reduce((a, b) => a + b, 0);
  unknowns.set('ended', { value: ended, min: 0 });
  const sessions = cell('sessions', truth.sessions, published.sessions);
  const acknowledged = cell('acknowledged', truth.help.acknowledged, published.help.acknowledged);
  const languages = Object.entries(truth.languages).map(([key, value]) => cell(`language.${key}`, value ?? 0, published.languages[key]));
  const reasons = Object.entries(truth.endReasons).map(([key, value]) => cell(`reason.${key}`, value ?? 0, published.endReasons[key as keyof typeof published.endReasons]));
  const lengths = truth.sessionSeconds.histogram.map((value, index) => cell(`length.${index}`, value, published.sessionSeconds.histogram[index]));
  const waits = truth.help.waitSeconds.histogram.map((value, index) => cell(`wait.${index}`, value, published.help.waitSeconds.histogram[index]));
  const sumTo = (parts: string[], total: string) => equations.push([...parts.map((name) => ({ name, coefficient: 1 })), { name: total, coefficient: -1 }]);
  sumTo(languages, sessions);
  sumTo(reasons, 'ended');
  sumTo(lengths, 'ended');
  sumTo(waits, acknowledged);

  const holds = (move: Map<string, number>) => {
    for (const [name, step] of move) {
      const unknown = unknowns.get(name);
      if (!unknown || unknown.value + step < unknown.min) return false;
    }
    return equations.every((equation) => equation.reduce((sum, term) => sum + term.coefficient * (move.get(term.name) ?? 0), 0) === 0);
  };

  const related = (name: string): string[] => {
    const seen = new Set<string>([name]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const equation of equations) {
        if (!equation.some((term) => seen.has(term.name))) continue;
        for (const term of equation) {
          if (unknowns.has(term.name) && !seen.has(term.name)) {
            seen.add(term.name);
            grew = true;
          }
        }
      }
    }
    seen.delete(name);
    return [...seen];
  };

  const pinned: string[] = [];
  for (const name of unknowns.keys()) {
    if (name === 'ended') continue;
    if (!equations.some((equation) => equation.some((term) => term.name === name))) continue;
    const others = related(name);
    let free = false;
    search: for (const step of [1, -1]) {
      if (holds(new Map([[name, step]]))) {
        free = true;
        break;
      }
      for (let i = 0; i < others.length; i += 1) {
        for (const stepI of [1, -1]) {
          const first = others[i] ?? '';
          if (holds(new Map([[name, step], [first, stepI]]))) {
            free = true;
            break search;
          }
          for (let j = i + 1; j < others.length; j += 1) {
            for (const stepJ of [1, -1]) {
              if (holds(new Map([[name, step], [first, stepI], [others[j] ?? '', stepJ]]))) {
                free = true;
                break search;
              }
            }
          }
        }
      }
    }
    if (!free) pinned.push(name);
  }
  return pinned;
}

/** The groups of the design: when exactly one cell is suppressed, every other cell of the group is 0. */
function loneSuppressedCells(truth: DailyFigures, published: PublishedDailyFigures): string[] {
  const problems: string[] = [];
  const check = (group: string, totalShown: boolean, parts: [number, number | null][]) => {
    if (!totalShown) return;
    const suppressed = parts.filter(([, shown]) => shown === null);
    if (suppressed.length === 1 && parts.some(([value, shown]) => shown !== null && value > 0)) problems.push(group);
  };
  const pairs = <K extends string>(truthRecord: Partial<Record<K, number>>, shownRecord: Partial<Record<K, number | null>>): [number, number | null][] =>
    (Object.keys(truthRecord) as K[]).map((key) => [truthRecord[key] ?? 0, shownRecord[key] ?? null]);
  check('languages', published.sessions !== null, pairs(truth.languages, published.languages as Partial<Record<string, number | null>>));
  check('end reasons', published.sessions !== null, pairs(truth.endReasons, published.endReasons));
  check('services', true, pairs(truth.serviceOpenings, published.serviceOpenings));
  check('accessibility', true, pairs(truth.accessibility, published.accessibility));
  check('help outcomes', published.help.requests !== null, [
    [truth.help.acknowledged, published.help.acknowledged],
    [truth.help.resolved, published.help.resolved],
    [truth.help.cancelled, published.help.cancelled],
  ]);
  check('waits', published.help.acknowledged !== null, truth.help.waitSeconds.histogram.map((value, index) => [value, published.help.waitSeconds.histogram[index] ?? null]));
  return problems;
}

/** Every published number is the true one, every suppressed one was at least 1, and no published count is small. */
function primaryProblems(truth: DailyFigures, published: PublishedDailyFigures, threshold: number): string[] {
  const problems: string[] = [];
  const walk = (path: string, value: unknown, shown: unknown) => {
    if (typeof value === 'number') {
      if (shown === null) {
        if (value === 0 && !/median|p90|total$/.test(path)) problems.push(`${path}: 0 suppressed`);
      } else if (shown !== value) problems.push(`${path}: published ${String(shown)}, true ${value}`);
      else if (!/median|p90|sessionSeconds\.total/.test(path) && value > 0 && value < threshold) problems.push(`${path}: ${value} published`);
      return;
    }
    if (value === null) {
      if (shown !== null) problems.push(`${path}: a value where there was none`);
      return;
    }
    if (typeof value === 'object') {
      for (const key of Object.keys(value as object)) walk(`${path}.${key}`, (value as Record<string, unknown>)[key], (shown as Record<string, unknown> | undefined)?.[key]);
    }
  };
  walk('day', truth, published);
  const ended = truth.sessionSeconds.histogram.reduce((a, b) => a + b, 0);
  if (ended > 0 && ended < threshold && (published.sessionSeconds.median !== null || published.sessionSeconds.total !== null)) problems.push('durations shown behind fewer values than the threshold');
  if (truth.help.acknowledged > 0 && truth.help.acknowledged < threshold && published.help.waitSeconds.median !== null) problems.push('waits shown behind fewer values than the threshold');
  return problems;
}

describe('suppression over many generated days', () => {
  it('publishes true values only, no small count, and no cell that can be recomputed', () => {
    const random = seeded(20250314);
    const failures: string[] = [];
    let suppressedCells = 0;
    let publishedCells = 0;
    for (let trial = 0; trial < 1500; trial += 1) {
      const threshold = integer(random, 2, 6);
      const truth = rollUpDay(DAY, randomDayEvents(random, DAY, { maxSessions: [3, 6, 12, 30][trial % 4] }));
      const published = suppressCounts(truth, threshold);
      const problems = [...primaryProblems(truth, published, threshold), ...recomputableCells(truth, published).map((name) => `${name} recomputable`), ...loneSuppressedCells(truth, published).map((group) => `${group}: one cell suppressed alone`)];
      if (!PublishedDailyFiguresSchema.safeParse(published).success) problems.push('not valid for the schema');
      if (problems.length > 0) failures.push(`trial ${trial} (threshold ${threshold}): ${problems.join('; ')}\n${JSON.stringify(truth)}`);
      const text = JSON.stringify(published);
      suppressedCells += (text.match(/null/g) ?? []).length;
      publishedCells += (text.match(/\d+[,\]}]/g) ?? []).length;
    }
    expect(failures.slice(0, 3)).toEqual([]);
    // The generated days exercise the rules: plenty of cells on both sides.
    expect(suppressedCells).toBeGreaterThan(5000);
    expect(publishedCells).toBeGreaterThan(5000);
  });

  it('finds a recomputable cell when the complementary rule is left out (the check can fail)', () => {
    const truth = figures(sessionsIn({ fr: 1, nl: 4, de: 6 }));
    const naive: PublishedDailyFigures = { ...suppressCounts(truth, 3), languages: { fr: null, nl: 4, de: 6 } };
    expect(recomputableCells(truth, naive)).toEqual(['language.fr']);
    const allOnes = figures(sessionsIn({ fr: 1, nl: 1, de: 5 }));
    const naiveOnes: PublishedDailyFigures = { ...suppressCounts(allOnes, 3), sessions: 7, languages: { fr: null, nl: null, de: 5 } };
    expect(recomputableCells(allOnes, naiveOnes).sort()).toEqual(['language.fr', 'language.nl']);
    expect(loneSuppressedCells(truth, naive)).toEqual(['languages']);
  });

  it('keeps the lengths histogram in the schema’s shape', () => {
    const published = suppressCounts(rollUpDay(DAY, randomDayEvents(seeded(3), DAY)), 3);
    expect(published.sessionSeconds.histogram).toHaveLength(SESSION_SECONDS_BUCKETS.length);
    expect(published.help.waitSeconds.histogram).toHaveLength(WAIT_SECONDS_BUCKETS.length);
  });
});
