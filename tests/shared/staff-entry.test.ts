import { describe, expect, it } from 'vitest';
import { DEFAULT_STAFF_SETTINGS, StaffSettingsSchema } from '../../shared/config/schema';
import {
  CORNER_SIZE_PX,
  CORNER_TAPS_NEEDED,
  CORNER_TAPS_WINDOW_MS,
  cornerSize,
  cornerTapsState,
  isInCorner,
  matchesKeyChord,
  parseKeyChord,
  registerTap,
  type ChordKeyEvent,
  type CornerTapsState,
  type KeyChord,
  type Tap,
} from '../../shared/staff-entry';

const NONE = { ctrlKey: false, altKey: false, shiftKey: false, metaKey: false };

function keyEvent(key: string, code: string, modifiers: Partial<typeof NONE> = {}): ChordKeyEvent {
  return { key, code, ...NONE, ...modifiers };
}

function chord(text: string): KeyChord {
  const parsed = parseKeyChord(text);
  if (parsed === null) throw new Error(`"${text}" should parse`);
  return parsed;
}

describe('parseKeyChord', () => {
  it('reads the default chord', () => {
    expect(parseKeyChord(DEFAULT_STAFF_SETTINGS.keyChord)).toEqual({ ctrl: true, alt: true, shift: true, meta: false, key: 'S' });
  });

  it.each([
    ['Control+Alt+S', { ctrl: true, alt: true, shift: false, meta: false, key: 'S' }],
    ['Alt+Shift+5', { ctrl: false, alt: true, shift: true, meta: false, key: '5' }],
    ['Meta+Control+F9', { ctrl: true, alt: false, shift: false, meta: true, key: 'F9' }],
    ['Shift+Control+F12', { ctrl: true, alt: false, shift: true, meta: false, key: 'F12' }],
    ['Control+Alt+Shift+Meta+0', { ctrl: true, alt: true, shift: true, meta: true, key: '0' }],
    ['Control+Alt+F1', { ctrl: true, alt: true, shift: false, meta: false, key: 'F1' }],
  ])('reads %s', (text, expected) => {
    expect(parseKeyChord(text)).toEqual(expected);
  });

  it.each([
    '',
    'S',
    'Control+S',
    'Control+Control+S',
    'Control+Alt+Control+S',
    'Control+Alt+s',
    'control+alt+S',
    'Control+Alt+',
    'Control+Alt+SS',
    'Control+Alt+F13',
    'Control+Alt+F0',
    'Control+Alt+Escape',
    'Control+Alt+Delete',
    'Control + Alt + S',
    'Ctrl+Alt+S',
    'Control+Alt+Shift+Meta+Control+S',
    'Control+Alt+S+',
    '+Control+Alt+S',
    ' Control+Alt+S',
    'Control+Alt+S\n',
    'Control+Alt+É',
  ])('refuses %j', (text) => {
    expect(parseKeyChord(text)).toBeNull();
  });

  it('refuses what is not a text', () => {
    expect(parseKeyChord(undefined as unknown as string)).toBeNull();
    expect(parseKeyChord(42 as unknown as string)).toBeNull();
  });

  it('parses every chord the schema accepts, except a modifier named twice', () => {
    for (const text of ['Control+Alt+S', 'Alt+Meta+Z', 'Shift+Alt+Control+Meta+F10', 'Control+Shift+7']) {
      expect(StaffSettingsSchema.safeParse({ keyChord: text }).success).toBe(true);
      expect(parseKeyChord(text)).not.toBeNull();
    }
  });
});

describe('matchesKeyChord', () => {
  const defaultChord = chord('Control+Alt+Shift+S');

  it('matches the physical key of a letter whatever character the layout gives', () => {
    // QWERTY with Shift, AZERTY, a layout where Control+Alt (AltGr) gives another character.
    expect(matchesKeyChord(defaultChord, keyEvent('S', 'KeyS', { ctrlKey: true, altKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeyChord(defaultChord, keyEvent('s', 'KeyS', { ctrlKey: true, altKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeyChord(defaultChord, keyEvent('ß', 'KeyS', { ctrlKey: true, altKey: true, shiftKey: true }))).toBe(true);
  });

  it('does not match the letter S typed on another physical key', () => {
    expect(matchesKeyChord(defaultChord, keyEvent('S', 'KeyD', { ctrlKey: true, altKey: true, shiftKey: true }))).toBe(false);
  });

  it('matches an AZERTY letter by its place: Q on AZERTY is the key QWERTY calls A', () => {
    const azertyQ = chord('Control+Alt+A');
    expect(matchesKeyChord(azertyQ, keyEvent('q', 'KeyA', { ctrlKey: true, altKey: true }))).toBe(true);
    expect(matchesKeyChord(azertyQ, keyEvent('a', 'KeyQ', { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('matches a digit by its key even when the layout needs Shift for it (AZERTY)', () => {
    const five = chord('Control+Shift+5');
    expect(matchesKeyChord(five, keyEvent('5', 'Digit5', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeyChord(five, keyEvent('(', 'Digit5', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeyChord(five, keyEvent('%', 'Digit5', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeyChord(five, keyEvent('5', 'Numpad5', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesKeyChord(five, keyEvent('5', 'Digit6', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });

  it('matches F-keys by key', () => {
    const f9 = chord('Control+Alt+F9');
    expect(matchesKeyChord(f9, keyEvent('F9', 'F9', { ctrlKey: true, altKey: true }))).toBe(true);
    expect(matchesKeyChord(f9, keyEvent('F9', '', { ctrlKey: true, altKey: true }))).toBe(true);
    expect(matchesKeyChord(f9, keyEvent('F1', 'F1', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(matchesKeyChord(chord('Control+Alt+F1'), keyEvent('F10', 'F10', { ctrlKey: true, altKey: true }))).toBe(false);
  });

  it('needs exactly the chord modifiers: one fewer or one more is another chord', () => {
    expect(matchesKeyChord(defaultChord, keyEvent('S', 'KeyS', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(matchesKeyChord(defaultChord, keyEvent('S', 'KeyS', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesKeyChord(defaultChord, keyEvent('S', 'KeyS', { altKey: true, shiftKey: true }))).toBe(false);
    expect(matchesKeyChord(defaultChord, keyEvent('S', 'KeyS', { ctrlKey: true, altKey: true, shiftKey: true, metaKey: true }))).toBe(false);
    expect(matchesKeyChord(defaultChord, keyEvent('s', 'KeyS'))).toBe(false);
  });

  it('does not match the modifier keys pressed alone', () => {
    const held = { ctrlKey: true, altKey: true, shiftKey: true };
    expect(matchesKeyChord(defaultChord, keyEvent('Shift', 'ShiftLeft', held))).toBe(false);
    expect(matchesKeyChord(defaultChord, keyEvent('Control', 'ControlLeft', held))).toBe(false);
    expect(matchesKeyChord(defaultChord, keyEvent('Alt', 'AltLeft', held))).toBe(false);
  });

  it('matches Meta chords', () => {
    const metaChord = chord('Meta+Alt+K');
    expect(matchesKeyChord(metaChord, keyEvent('k', 'KeyK', { metaKey: true, altKey: true }))).toBe(true);
    expect(matchesKeyChord(metaChord, keyEvent('k', 'KeyK', { ctrlKey: true, altKey: true }))).toBe(false);
  });
});

describe('corner taps', () => {
  const viewport = { width: 1366, height: 768 };
  const start = 1_000_000;

  function tapAll(taps: readonly Tap[], initial: CornerTapsState = cornerTapsState, size = viewport) {
    let state = initial;
    const opened: boolean[] = [];
    for (const tap of taps) {
      const result = registerTap(state, tap, size);
      state = result.state;
      opened.push(result.open);
    }
    return { state, opened };
  }

  const fiveQuickTaps = (at = start, step = 500): Tap[] => Array.from({ length: CORNER_TAPS_NEEDED }, (_, index) => ({ x: 10, y: 10, at: at + index * step }));

  it('opens on the fifth tap within three seconds, not before', () => {
    expect(tapAll(fiveQuickTaps()).opened).toEqual([false, false, false, false, true]);
  });

  it('starts over after opening', () => {
    const { state, opened } = tapAll([...fiveQuickTaps(), ...fiveQuickTaps(start + 2100).slice(0, 4)]);
    expect(opened.filter(Boolean)).toHaveLength(1);
    expect(state.taps).toHaveLength(4);
  });

  it('opens when the five taps span exactly three seconds, not a millisecond more', () => {
    expect(tapAll(fiveQuickTaps(start, CORNER_TAPS_WINDOW_MS / 4)).opened.at(-1)).toBe(true);
    const tooSlow = fiveQuickTaps(start, CORNER_TAPS_WINDOW_MS / 4);
    tooSlow[4] = { ...tooSlow[4]!, at: start + CORNER_TAPS_WINDOW_MS + 1 };
    expect(tapAll(tooSlow).opened.at(-1)).toBe(false);
  });

  it('forgets taps older than the window but keeps counting the recent ones', () => {
    const taps: Tap[] = [0, 2000, 3500, 4000, 4500, 5000].map((offset) => ({ x: 5, y: 5, at: start + offset }));
    // At 5000 the taps of 2000, 3500, 4000, 4500 and 5000 are within three seconds.
    expect(tapAll(taps).opened).toEqual([false, false, false, false, false, true]);
  });

  it('slow taps never open', () => {
    const taps: Tap[] = Array.from({ length: 20 }, (_, index) => ({ x: 5, y: 5, at: start + index * 1000 }));
    expect(tapAll(taps).opened.some(Boolean)).toBe(false);
  });

  it('a tap elsewhere starts over', () => {
    const taps = fiveQuickTaps(start, 100);
    taps.splice(2, 0, { x: 400, y: 300, at: start + 150 });
    const { opened, state } = tapAll(taps);
    expect(opened.some(Boolean)).toBe(false);
    expect(state.taps).toHaveLength(3);
  });

  it('counts only the top-left 80 px square', () => {
    const edge = CORNER_SIZE_PX - 0.5;
    expect(isInCorner(0, 0, viewport)).toBe(true);
    expect(isInCorner(edge, edge, viewport)).toBe(true);
    expect(isInCorner(CORNER_SIZE_PX, 10, viewport)).toBe(false);
    expect(isInCorner(10, CORNER_SIZE_PX, viewport)).toBe(false);
    expect(isInCorner(viewport.width - 10, 10, viewport)).toBe(false);
    expect(isInCorner(10, viewport.height - 10, viewport)).toBe(false);
    expect(isInCorner(-1, 10, viewport)).toBe(false);
    expect(isInCorner(Number.NaN, 10, viewport)).toBe(false);
    expect(isInCorner(10, Number.POSITIVE_INFINITY, viewport)).toBe(false);
  });

  it('the top-right corner does not open (also in right-to-left layouts, for now)', () => {
    const taps = fiveQuickTaps().map((tap) => ({ ...tap, x: viewport.width - 10 }));
    expect(tapAll(taps).opened.some(Boolean)).toBe(false);
  });

  it('shrinks the square on a tiny viewport and has none on an empty one', () => {
    expect(cornerSize(viewport)).toBe(CORNER_SIZE_PX);
    expect(cornerSize({ width: 100, height: 60 })).toBe(30);
    expect(cornerSize({ width: 0, height: 0 })).toBe(0);
    expect(cornerSize({ width: Number.NaN, height: 500 })).toBe(0);
    expect(tapAll(fiveQuickTaps(), cornerTapsState, { width: 0, height: 0 }).opened.some(Boolean)).toBe(false);
    expect(tapAll(fiveQuickTaps().map((tap) => ({ ...tap, x: 40 })), cornerTapsState, { width: 100, height: 60 }).opened.some(Boolean)).toBe(false);
  });

  it('a clock that goes back starts over, and a tap without a time is ignored', () => {
    const taps = fiveQuickTaps(start, 100);
    taps.splice(3, 0, { x: 5, y: 5, at: start - 10_000 });
    expect(tapAll(taps).opened.some(Boolean)).toBe(false);
    expect(registerTap({ taps: [start, start + 1] }, { x: 5, y: 5, at: Number.NaN }, viewport)).toEqual({ state: cornerTapsState, open: false });
  });

  it('never keeps more than four taps, and does not change the state it was given', () => {
    const state: CornerTapsState = { taps: [start, start + 10, start + 20] };
    const frozen = JSON.stringify(state);
    const result = registerTap(state, { x: 1, y: 1, at: start + 30 }, viewport);
    expect(JSON.stringify(state)).toBe(frozen);
    expect(result.state.taps).toEqual([start, start + 10, start + 20, start + 30]);
    expect(registerTap(result.state, { x: 1, y: 1, at: start + 40 }, viewport)).toEqual({ state: cornerTapsState, open: true });
  });

  it('taps at the same millisecond each count', () => {
    const taps = Array.from({ length: CORNER_TAPS_NEEDED }, () => ({ x: 1, y: 1, at: start }));
    expect(tapAll(taps).opened.at(-1)).toBe(true);
  });
});
