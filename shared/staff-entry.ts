/**
 * The hidden entry to staff mode, as pure decisions (docs/staff.md):
 *
 * - the key chord of config.staff.keyChord ("Control+Alt+Shift+S"): parsed once, then
 *   matched against key events. Letters and digits match on the physical key
 *   (`KeyboardEvent.code`: "S" is "KeyS", "5" is "Digit5"), so the chord is the same keys
 *   on AZERTY, QWERTZ and QWERTY keyboards and whatever Shift or AltGr make of them;
 *   F-keys match on `key` ("F9"). Modifiers must be exactly the chord's: one more
 *   modifier held is another chord.
 * - on touch screens, five taps in the top-left corner (an 80 px square) within three
 *   seconds. The corner stays top-left whatever the language's direction: it is a place
 *   staff learn, not a text layout.
 *
 * No DOM here: the caller passes plain values (event fields, tap positions, times).
 */
import { STAFF_KEY_CHORD_PATTERN } from './config/schema';

export const STAFF_MODIFIERS = ['Control', 'Alt', 'Shift', 'Meta'] as const;
export type StaffModifier = (typeof STAFF_MODIFIERS)[number];

export interface KeyChord {
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
  /** A capital letter "A"–"Z", a digit "0"–"9", or an F-key "F1"–"F12". */
  readonly key: string;
}

/** The fields of a KeyboardEvent the chord is matched against. */
export interface ChordKeyEvent {
  readonly key: string;
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
}

/**
 * The chord a configuration text names, or null when it is not one: the schema's form
 * (two to four distinct modifiers joined by "+", then a capital letter, a digit or F1–F12).
 * A modifier named twice is refused: "Control+Control+S" is a one-modifier chord a
 * visitor could press by chance.
 */
export function parseKeyChord(text: string): KeyChord | null {
  if (typeof text !== 'string' || !STAFF_KEY_CHORD_PATTERN.test(text)) return null;
  const parts = text.split('+');
  const key = parts.pop();
  if (key === undefined) return null;
  const modifiers = new Set<string>();
  for (const part of parts) {
    if (!(STAFF_MODIFIERS as readonly string[]).includes(part) || modifiers.has(part)) return null;
    modifiers.add(part);
  }
  if (modifiers.size < 2) return null;
  return {
    ctrl: modifiers.has('Control'),
    alt: modifiers.has('Alt'),
    shift: modifiers.has('Shift'),
    meta: modifiers.has('Meta'),
    key,
  };
}

/** The physical key (`KeyboardEvent.code`) of a letter or digit; null for F-keys (matched on `key`). */
function codeOf(key: string): string | null {
  if (/^[A-Z]$/.test(key)) return `Key${key}`;
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  return null;
}

/** Whether a key event is the chord: exactly its modifiers, and its key. */
export function matchesKeyChord(chord: KeyChord, event: ChordKeyEvent): boolean {
  if (event.ctrlKey !== chord.ctrl || event.altKey !== chord.alt || event.shiftKey !== chord.shift || event.metaKey !== chord.meta) return false;
  const code = codeOf(chord.key);
  if (code !== null) return event.code === code;
  return event.key === chord.key;
}

/** Taps needed, within what time, in how large a corner square. */
export const CORNER_TAPS_NEEDED = 5;
export const CORNER_TAPS_WINDOW_MS = 3000;
export const CORNER_SIZE_PX = 80;

export interface CornerTapsState {
  /** When the taps of the current run happened (oldest first), at most CORNER_TAPS_NEEDED - 1. */
  readonly taps: readonly number[];
}

export const cornerTapsState: CornerTapsState = { taps: [] };

export interface Tap {
  /** CSS pixels from the viewport's left and top edges. */
  readonly x: number;
  readonly y: number;
  /** Milliseconds on any steady clock (the caller's). */
  readonly at: number;
}

export interface Viewport {
  readonly width: number;
  readonly height: number;
}

/** The side of the corner square: 80 px, or less on a viewport too small to hold it twice. */
export function cornerSize(viewport: Viewport): number {
  const limit = Math.min(viewport.width, viewport.height) / 2;
  return Number.isFinite(limit) && limit > 0 ? Math.min(CORNER_SIZE_PX, limit) : 0;
}

/** Whether a point is in the top-left corner square. */
export function isInCorner(x: number, y: number, viewport: Viewport): boolean {
  const size = cornerSize(viewport);
  return Number.isFinite(x) && Number.isFinite(y) && x >= 0 && y >= 0 && x < size && y < size;
}

/**
 * Takes in one tap (a pointer press anywhere on the screen). A tap outside the corner,
 * or a clock that went back, starts over; taps older than the window are forgotten.
 * `open` is true on the fifth tap within the window, and the count starts over.
 */
export function registerTap(state: CornerTapsState, tap: Tap, viewport: Viewport): { state: CornerTapsState; open: boolean } {
  if (!Number.isFinite(tap.at) || !isInCorner(tap.x, tap.y, viewport)) return { state: cornerTapsState, open: false };
  const last = state.taps[state.taps.length - 1];
  if (last !== undefined && tap.at < last) return { state: { taps: [tap.at] }, open: false };
  const taps = [...state.taps.filter((at) => tap.at - at <= CORNER_TAPS_WINDOW_MS), tap.at];
  if (taps.length >= CORNER_TAPS_NEEDED) return { state: cornerTapsState, open: true };
  return { state: { taps }, open: false };
}
