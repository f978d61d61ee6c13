/**
 * The small decisions behind the session screens: the time left from a snapshot, what
 * screen readers hear of the countdown, how file sizes read (the voices: tests/renderer/display/).
 */
import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../shared/contract';
import { announcedSeconds } from '../../renderer/components/IdleWarning';
import { formatFileSize } from '../../renderer/components/FilesDialog';
import { remainingMs, unitsLeft } from '../../renderer/session/countdown';
import { DEFAULT_DISPLAY } from '../../shared/display-settings';

function warning(at: number, countdownEndsAt: number): SessionSnapshot {
  return { phase: 'idle-warning', at, language: 'fr', countdownEndsAt, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY };
}

describe('time left from a snapshot', () => {
  it('is the main side\'s difference minus what elapsed here, whatever the two clocks read', () => {
    // The main side says 30 s are left; this page received it at its own 1000 ms.
    const received = { snapshot: warning(1_736_153_000_000, 1_736_153_030_000), receivedAt: 1000 };
    expect(remainingMs(1_736_153_030_000, received, 1000)).toBe(30_000);
    expect(remainingMs(1_736_153_030_000, received, 3500)).toBe(27_500);
    expect(remainingMs(1_736_153_030_000, received, 40_000)).toBe(0);
    // A tick older than the snapshot's arrival counts as no time elapsed.
    expect(remainingMs(1_736_153_030_000, received, 500)).toBe(30_000);
  });

  it('counts whole units up: 1 until the very end', () => {
    expect(unitsLeft(30_000, 1000)).toBe(30);
    expect(unitsLeft(29_001, 1000)).toBe(30);
    expect(unitsLeft(29_000, 1000)).toBe(29);
    expect(unitsLeft(1, 1000)).toBe(1);
    expect(unitsLeft(0, 1000)).toBe(0);
    expect(unitsLeft(4 * 60_000 + 1, 60_000)).toBe(5);
  });
});

describe('what screen readers hear of the countdown', () => {
  it('is the time at the start, then every ten seconds and each of the last five', () => {
    const heard = new Set(Array.from({ length: 31 }, (_, index) => announcedSeconds(30 - index, 30)));
    expect([...heard]).toEqual([30, 20, 10, 5, 4, 3, 2, 1, null]);
  });

  it('never names more time than was left at the start', () => {
    expect(announcedSeconds(25, 25)).toBe(25);
    expect(announcedSeconds(21, 25)).toBe(25);
    expect(announcedSeconds(19, 25)).toBe(20);
  });
});

describe('file sizes', () => {
  it('read as the language writes them, in decimal units', () => {
    expect(formatFileSize(512, 'en')).toBe(new Intl.NumberFormat('en', { style: 'unit', unit: 'byte', maximumFractionDigits: 1 }).format(512));
    expect(formatFileSize(12_500, 'fr')).toContain('12,5');
    expect(formatFileSize(12_500, 'en')).toContain('12.5');
    expect(formatFileSize(1_000_000, 'de')).toBe(new Intl.NumberFormat('de', { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(1));
    expect(formatFileSize(2_340_000_000, 'nl')).toBe(new Intl.NumberFormat('nl', { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 1 }).format(2.3));
  });
});
