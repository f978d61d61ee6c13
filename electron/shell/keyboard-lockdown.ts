/**
 * Keyboard shortcuts that would let a visitor out of the kiosk or break it: reload,
 * zoom (text size is the kiosk's own control), devtools, new windows and tabs, print,
 * save, open, find, history, close and quit. The application menu is removed, so most of
 * them have nothing to trigger; this list holds even if Chromium or a future Electron
 * adds one back.
 *
 * Ordinary typing always goes through, including the characters Belgian, French and
 * German keyboards type with AltGr, which Windows reports as Ctrl+Alt.
 *
 * The staff key chord (config.staff.keyChord) is the shell's to answer in the kiosk's own
 * pages: the page never sees it, and the launcher is told to show the PIN pad
 * (watchStaffChord).
 */
import type { Input } from 'electron';
import { matchesKeyChord, parseKeyChord, type KeyChord } from '../../shared/staff-entry';

export type KeyInput = Pick<Input, 'key' | 'code' | 'control' | 'shift' | 'alt' | 'meta'>;

export type KeyDecision = { readonly blocked: false } | { readonly blocked: true; readonly reason: string };

const LET_THROUGH: KeyDecision = { blocked: false };
const block = (reason: string): KeyDecision => ({ blocked: true, reason });

/** Keys of special keyboards that act on the browser, whatever the modifiers. */
const BROWSER_KEYS: Readonly<Record<string, string>> = {
  BrowserBack: 'history',
  BrowserForward: 'history',
  BrowserRefresh: 'reload',
  BrowserStop: 'stop loading',
  BrowserHome: 'home page',
  BrowserSearch: 'search',
  BrowserFavorites: 'bookmarks',
  Print: 'print',
  Save: 'save',
  Open: 'open a file',
  New: 'new window',
  Close: 'close',
  Find: 'find',
  Help: 'help window',
  ZoomIn: 'zoom',
  ZoomOut: 'zoom',
  ZoomToggle: 'zoom',
};

/** Ctrl (Cmd on macOS) + a letter, whether Shift is held or not. */
const PRIMARY_LETTER_CHORDS: Readonly<Record<string, string>> = {
  r: 'reload',
  w: 'close the window',
  q: 'quit',
  n: 'new window',
  t: 'new tab',
  p: 'print',
  s: 'save',
  o: 'open a file',
  f: 'find',
  g: 'find next',
  h: 'history',
  j: 'downloads',
  d: 'bookmark',
  u: 'view source',
  l: 'address bar',
  e: 'search',
  k: 'search',
  m: 'minimise',
};

/** Ctrl+Shift + a letter: devtools and the browser's own panels. Plain Ctrl+C stays copy. */
const PRIMARY_SHIFT_LETTER_CHORDS: Readonly<Record<string, string>> = {
  i: 'devtools',
  j: 'devtools console',
  c: 'devtools inspector',
  b: 'bookmarks bar',
  o: 'bookmarks manager',
  a: 'tab search',
};

const ZOOM_KEYS = new Set(['+', '=', '-', '_', '0', ')']);
const ZOOM_CODES = new Set(['NumpadAdd', 'NumpadSubtract', 'Numpad0', 'Equal', 'Minus', 'Digit0']);

/**
 * The Latin letter a chord is about. The produced character comes first, so Ctrl+Z on an
 * AZERTY keyboard stays undo even though its physical key is QWERTY's W; the physical key
 * is used only when the layout types no Latin letter (Cyrillic, Greek, …).
 */
function letterOf(input: KeyInput): string | undefined {
  if (/^[a-z]$/i.test(input.key)) return input.key.toLowerCase();
  const physical = /^Key([A-Z])$/.exec(input.code);
  return physical?.[1]?.toLowerCase();
}

export function decideKeyInput(input: KeyInput): KeyDecision {
  if (/^F([1-9]|1\d|2[0-4])$/.test(input.key) || /^F([1-9]|1\d|2[0-4])$/.test(input.code)) {
    return block(`${input.key === '' ? input.code : input.key}: function keys reload, open devtools, toggle full screen, find or open menus`);
  }
  const browserKey = BROWSER_KEYS[input.key] ?? BROWSER_KEYS[input.code];
  if (browserKey !== undefined) return block(`${input.key}: ${browserKey}`);

  // Ctrl+Alt is how Windows reports AltGr: it types characters (@, #, €, …), it is not a shortcut.
  const primary = (input.control || input.meta) && !input.alt;
  if (primary) {
    const letter = letterOf(input);
    if (letter !== undefined) {
      const withShift = input.shift ? PRIMARY_SHIFT_LETTER_CHORDS[letter] : undefined;
      const reason = withShift ?? PRIMARY_LETTER_CHORDS[letter];
      if (reason !== undefined) return block(`Ctrl+${input.shift ? 'Shift+' : ''}${letter.toUpperCase()}: ${reason}`);
    }
    if (ZOOM_KEYS.has(input.key) || ZOOM_CODES.has(input.code)) return block(`Ctrl+${input.key}: zoom`);
    if (/^[1-9]$/.test(input.key) || /^(Digit|Numpad)[1-9]$/.test(input.code)) return block(`Ctrl+${input.key}: switch tab`);
    if (input.key === 'Tab' || input.key === 'PageUp' || input.key === 'PageDown') return block(`Ctrl+${input.key}: switch tab`);
    if (input.shift && (input.key === 'Delete' || input.key === 'Backspace')) return block('Ctrl+Shift+Delete: clear browsing data');
  }

  const altOnly = input.alt && !input.control && !input.meta;
  if (altOnly) {
    if (input.key === 'ArrowLeft' || input.key === 'ArrowRight') return block(`Alt+${input.key}: history`);
    if (input.key === 'Home') return block('Alt+Home: home page');
    if (input.key === ' ' || input.code === 'Space') return block('Alt+Space: window menu');
  }
  if (input.meta && (input.key === 'Tab' || input.key === ',')) return block(`Meta+${input.key}: switch application or open settings`);
  // Cmd+Option+I/J/C: the devtools chords on macOS, where Option is reported as Alt.
  if (input.meta && input.alt && !input.control) {
    const letter = letterOf(input);
    if (letter === 'i' || letter === 'j' || letter === 'c') return block(`Meta+Alt+${letter.toUpperCase()}: devtools`);
  }

  return LET_THROUGH;
}

export interface KeyboardTarget {
  on(event: 'before-input-event', listener: (event: { preventDefault(): void }, input: Input) => void): unknown;
}

/** Applies the decision to every key a page would receive, before the page sees it. */
export function lockKeyboard(contents: KeyboardTarget): void {
  contents.on('before-input-event', (event, input) => {
    if (decideKeyInput(input).blocked) event.preventDefault();
  });
}

export interface StaffChordWatch {
  /** config.staff.keyChord in force, read at every key so a new configuration applies at once. */
  readonly keyChord: () => string;
  /** Whether the shell answers the chord in this page (the launcher and service views; not a probe page). */
  readonly answersIn: () => boolean;
  /** The chord was pressed: the launcher shows the PIN pad. */
  readonly onChord: () => void;
}

export interface StaffChordInput extends KeyInput {
  readonly type: Input['type'];
  readonly isAutoRepeat?: boolean;
}

/** Whether an input is the staff chord; an unreadable chord in the configuration matches nothing. */
export function isStaffChord(chord: KeyChord | null, input: KeyInput): boolean {
  if (chord === null) return false;
  return matchesKeyChord(chord, { key: input.key, code: input.code, ctrlKey: input.control, altKey: input.alt, shiftKey: input.shift, metaKey: input.meta });
}

/**
 * Swallows the staff chord before the page sees it (the key's release too, so a page
 * never sees half of it) and asks for the PIN pad once per press: holding the keys down
 * does not repeat the request.
 */
export function watchStaffChord(contents: KeyboardTarget, watch: StaffChordWatch): void {
  let parsedFrom: string | null = null;
  let chord: KeyChord | null = null;
  const currentChord = () => {
    const text = watch.keyChord();
    if (text !== parsedFrom) {
      parsedFrom = text;
      chord = parseKeyChord(text);
    }
    return chord;
  };
  contents.on('before-input-event', (event, input: StaffChordInput) => {
    if (input.type !== 'keyDown' && input.type !== 'keyUp') return;
    if (!watch.answersIn() || !isStaffChord(currentChord(), input)) return;
    event.preventDefault();
    if (input.type === 'keyDown' && input.isAutoRepeat !== true) watch.onChord();
  });
}
