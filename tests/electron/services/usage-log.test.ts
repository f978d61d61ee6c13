import { describe, expect, it } from 'vitest';
import { createMemoryUsageLog } from '../../../electron/services/usage-log';

describe('createMemoryUsageLog', () => {
  it('keeps events in order, with the time each was recorded', () => {
    let now = 1_000;
    const log = createMemoryUsageLog({ now: () => now });
    log.record({ type: 'session-started', language: 'fr' });
    now = 4_000;
    log.record({ type: 'service-opened', serviceId: 'vdab' });
    expect(log.events()).toEqual([
      { at: 1_000, event: { type: 'session-started', language: 'fr' } },
      { at: 4_000, event: { type: 'service-opened', serviceId: 'vdab' } },
    ]);
  });

  it('keeps what was recorded even if the caller changes its object afterwards', () => {
    const log = createMemoryUsageLog({ now: () => 0 });
    const event = { type: 'help-requested' as const, serviceId: 'vdab' };
    log.record(event);
    event.serviceId = 'changed';
    expect(log.events()[0]?.event).toEqual({ type: 'help-requested', serviceId: 'vdab' });
  });

  it('is bounded: the oldest events go first, and it says how many', () => {
    const log = createMemoryUsageLog({ capacity: 3, now: () => 0 });
    for (let attempt = 1; attempt <= 5; attempt += 1) log.record({ type: 'wipe-done', durationMs: 10, verified: true, attempt });
    expect(log.events().map((entry) => entry.event.type === 'wipe-done' && entry.event.attempt)).toEqual([3, 4, 5]);
    expect(log.dropped()).toBe(2);
  });

  it('hands its events over once when drained', () => {
    const log = createMemoryUsageLog({ now: () => 0 });
    log.record({ type: 'session-ended', reason: 'idle', durationSeconds: 210 });
    expect(log.drain()).toEqual([{ at: 0, event: { type: 'session-ended', reason: 'idle', durationSeconds: 210 } }]);
    expect(log.events()).toEqual([]);
    expect(log.drain()).toEqual([]);
  });

  it('never throws, even when its clock does', () => {
    const log = createMemoryUsageLog({
      now: () => {
        throw new Error('clock broken');
      },
    });
    expect(() => log.record({ type: 'session-started', language: 'en' })).not.toThrow();
    expect(log.events()).toEqual([]);
    expect(log.dropped()).toBe(1);
  });

  it('refuses a capacity that could not keep anything', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => createMemoryUsageLog({ capacity }), String(capacity)).toThrow(/at least 1 event/);
    }
  });
});
