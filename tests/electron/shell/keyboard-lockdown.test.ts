import { describe, expect, it } from 'vitest';
import { decideKeyInput, isStaffChord, lockKeyboard, watchStaffChord, type KeyInput, type StaffChordWatch } from '../../../electron/shell/keyboard-lockdown';
import { parseKeyChord } from '../../../shared/staff-entry';
import { preventableEvent } from './fake-electron';
import type { Input } from 'electron';

type Chord = Partial<Omit<KeyInput, 'key'>> & { key: string };

function key({ key, code, control = false, shift = false, alt = false, meta = false }: Chord): KeyInput {
  const letter = /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : undefined;
  const digit = /^[0-9]$/.test(key) ? `Digit${key}` : undefined;
  return { key, code: code ?? letter ?? digit ?? key, control, shift, alt, meta };
}

const ctrl = (k: string, extra: Partial<Chord> = {}) => key({ key: k, control: true, ...extra });
const blocked = (input: KeyInput) => decideKeyInput(input).blocked;

describe('decideKeyInput: what is blocked', () => {
  it.each(Array.from({ length: 24 }, (_, index) => `F${index + 1}`))('%s, alone and with any modifier', (name) => {
    expect(blocked(key({ key: name }))).toBe(true);
    expect(blocked(key({ key: name, shift: true }))).toBe(true);
    expect(blocked(key({ key: name, control: true }))).toBe(true);
    expect(blocked(key({ key: name, alt: true }))).toBe(true);
  });

  it('F4 with Alt (close window) and F10 with Shift (context menu)', () => {
    expect(decideKeyInput(key({ key: 'F4', alt: true }))).toMatchObject({ blocked: true });
    expect(decideKeyInput(key({ key: 'F10', shift: true }))).toMatchObject({ blocked: true });
  });

  it('a function key reported by its code only', () => {
    expect(blocked(key({ key: 'Unidentified', code: 'F12' }))).toBe(true);
  });

  it.each(['r', 'w', 'q', 'n', 't', 'p', 's', 'o', 'f', 'g', 'h', 'j', 'd', 'u', 'l', 'e', 'k', 'm'])(
    'Ctrl+%s, with and without Shift, lower and upper case, and Cmd+%s',
    (letter) => {
      expect(blocked(ctrl(letter))).toBe(true);
      expect(blocked(ctrl(letter.toUpperCase(), { shift: true }))).toBe(true);
      expect(blocked(key({ key: letter, meta: true }))).toBe(true);
    },
  );

  it.each(['i', 'j', 'c', 'b', 'o', 'a'])('Ctrl+Shift+%s (devtools and browser panels)', (letter) => {
    expect(decideKeyInput(ctrl(letter.toUpperCase(), { shift: true }))).toMatchObject({ blocked: true });
  });

  it('names the reason: devtools for Ctrl+Shift+I, reload for Ctrl+R', () => {
    expect(decideKeyInput(ctrl('I', { shift: true }))).toEqual({ blocked: true, reason: 'Ctrl+Shift+I: devtools' });
    expect(decideKeyInput(ctrl('r'))).toEqual({ blocked: true, reason: 'Ctrl+R: reload' });
  });

  it.each([
    ['+', 'Equal'],
    ['=', 'Equal'],
    ['-', 'Minus'],
    ['_', 'Minus'],
    ['0', 'Digit0'],
    ['+', 'NumpadAdd'],
    ['-', 'NumpadSubtract'],
    ['0', 'Numpad0'],
  ])('zoom: Ctrl+%s (%s)', (name, code) => {
    expect(blocked(ctrl(name, { code }))).toBe(true);
    expect(blocked(ctrl(name, { code, shift: true }))).toBe(true);
  });

  it.each(['1', '2', '5', '9'])('tab switch: Ctrl+%s', (digit) => {
    expect(blocked(ctrl(digit))).toBe(true);
  });

  it.each(['Tab', 'PageUp', 'PageDown'])('tab switch: Ctrl+%s and Ctrl+Shift+%s', (name) => {
    expect(blocked(ctrl(name))).toBe(true);
    expect(blocked(ctrl(name, { shift: true }))).toBe(true);
  });

  it('Ctrl+Shift+Delete (clear browsing data)', () => {
    expect(blocked(ctrl('Delete', { shift: true }))).toBe(true);
  });

  it.each(['ArrowLeft', 'ArrowRight', 'Home'])('history and home page: Alt+%s', (name) => {
    expect(blocked(key({ key: name, alt: true }))).toBe(true);
  });

  it('Alt+Space (window menu) and Meta+Tab', () => {
    expect(blocked(key({ key: ' ', code: 'Space', alt: true }))).toBe(true);
    expect(blocked(key({ key: 'Tab', meta: true }))).toBe(true);
  });

  it.each(['BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserStop', 'BrowserHome', 'BrowserSearch', 'BrowserFavorites', 'Print', 'Save', 'Open', 'New', 'Close', 'Find', 'Help', 'ZoomIn', 'ZoomOut', 'ZoomToggle'])(
    'the %s key of special keyboards',
    (name) => {
      expect(blocked(key({ key: name }))).toBe(true);
    },
  );

  it.each(['i', 'j', 'c'])('Cmd+Option+%s (devtools on macOS), while Ctrl+Alt+%s stays an AltGr character', (letter) => {
    expect(decideKeyInput(key({ key: letter, meta: true, alt: true }))).toEqual({ blocked: true, reason: `Meta+Alt+${letter.toUpperCase()}: devtools` });
    expect(blocked(key({ key: letter, control: true, alt: true }))).toBe(false);
  });

  it('a chord on a keyboard that types no Latin letter is judged by its physical key', () => {
    // Ctrl+R on a Russian layout: the key types "к", the physical key is KeyR.
    expect(blocked(ctrl('к', { code: 'KeyR' }))).toBe(true);
  });
});

describe('decideKeyInput: ordinary typing goes through', () => {
  it('every printable ASCII character, with and without Shift', () => {
    for (let code = 32; code < 127; code += 1) {
      const character = String.fromCharCode(code);
      expect(blocked(key({ key: character })), character).toBe(false);
      expect(blocked(key({ key: character, shift: true })), `Shift+${character}`).toBe(false);
    }
  });

  it('letters with accents and other scripts', () => {
    for (const character of ['é', 'è', 'à', 'ç', 'ù', 'ä', 'ö', 'ü', 'ß', 'ñ', 'ø', 'ł', 'я', 'ж', 'ع', '中', '€', '£', '²', 'µ']) {
      expect(blocked(key({ key: character, code: 'KeyQ' })), character).toBe(false);
    }
  });

  it.each(['Enter', 'Backspace', 'Delete', 'Tab', 'Escape', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown', 'Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'Insert'])(
    'the editing and navigation key %s',
    (name) => {
      expect(blocked(key({ key: name }))).toBe(false);
      expect(blocked(key({ key: name, shift: true }))).toBe(false);
    },
  );

  it.each(['a', 'c', 'v', 'x', 'z', 'y', 'b', 'i'])('editing chord Ctrl+%s (select all, copy, paste, cut, undo, redo, bold, italic)', (letter) => {
    expect(blocked(ctrl(letter))).toBe(false);
  });

  it('Ctrl+Shift+Z (redo), Ctrl+Shift+V (paste as text), word moves and word deletes', () => {
    expect(blocked(ctrl('Z', { shift: true }))).toBe(false);
    expect(blocked(ctrl('V', { shift: true }))).toBe(false);
    for (const name of ['ArrowLeft', 'ArrowRight', 'Backspace', 'Delete', 'Home', 'End', 'Enter']) {
      expect(blocked(ctrl(name)), `Ctrl+${name}`).toBe(false);
    }
    for (const name of ['ArrowLeft', 'ArrowRight', 'Home', 'End']) {
      expect(blocked(ctrl(name, { shift: true })), `Ctrl+Shift+${name} (select)`).toBe(false);
    }
  });

  it('Ctrl+Z on an AZERTY keyboard (physical key W) stays undo', () => {
    expect(blocked(ctrl('z', { code: 'KeyW' }))).toBe(false);
  });

  it('AltGr characters of Belgian and German keyboards, which Windows reports as Ctrl+Alt', () => {
    const altGr = (character: string, code: string) => key({ key: character, code, control: true, alt: true });
    expect(blocked(altGr('@', 'Digit2'))).toBe(false);
    expect(blocked(altGr('#', 'Digit3'))).toBe(false);
    expect(blocked(altGr('{', 'Digit9'))).toBe(false);
    expect(blocked(altGr('}', 'Digit0'))).toBe(false);
    expect(blocked(altGr('[', 'BracketLeft'))).toBe(false);
    expect(blocked(altGr('€', 'KeyE'))).toBe(false);
    expect(blocked(altGr('\\', 'Backslash'))).toBe(false);
    expect(blocked(altGr('|', 'Digit1'))).toBe(false);
    expect(blocked(altGr('~', 'Slash'))).toBe(false);
  });

  it('Alt with a letter (a page\'s access keys) and Alt alone', () => {
    expect(blocked(key({ key: 's', alt: true }))).toBe(false);
    expect(blocked(key({ key: 'Alt', alt: true }))).toBe(false);
  });
});

describe('lockKeyboard', () => {
  function contentsWithKeyboard() {
    let listener: ((event: { preventDefault(): void }, input: Input) => void) | undefined;
    const contents = {
      on(_event: 'before-input-event', registered: (event: { preventDefault(): void }, input: Input) => void) {
        listener = registered;
        return this;
      },
    };
    lockKeyboard(contents);
    return (input: KeyInput) => {
      const event = preventableEvent({});
      listener!(event, { ...input, type: 'keyDown', isAutoRepeat: false, isComposing: false, location: 0, modifiers: [] });
      return event.defaultPrevented;
    };
  }

  it('prevents a blocked chord before the page sees it, and lets typing through', () => {
    const press = contentsWithKeyboard();
    expect(press(key({ key: 'F5' }))).toBe(true);
    expect(press(ctrl('I', { shift: true }))).toBe(true);
    expect(press(key({ key: 'a' }))).toBe(false);
    expect(press(ctrl('c'))).toBe(false);
  });
});

describe('watchStaffChord', () => {
  function watchedContents(watch: Partial<StaffChordWatch> & { keyChord?: () => string } = {}) {
    let listener: ((event: { preventDefault(): void }, input: Input) => void) | undefined;
    const requests: string[] = [];
    const contents = {
      on(_event: 'before-input-event', registered: (event: { preventDefault(): void }, input: Input) => void) {
        listener = registered;
        return this;
      },
    };
    watchStaffChord(contents, {
      keyChord: watch.keyChord ?? (() => 'Control+Alt+Shift+S'),
      answersIn: watch.answersIn ?? (() => true),
      onChord: () => requests.push('pin pad'),
    });
    const send = (input: KeyInput, type: Input['type'] = 'keyDown', isAutoRepeat = false) => {
      const event = preventableEvent({});
      listener!(event, { ...input, type, isAutoRepeat, isComposing: false, location: 0, modifiers: [] });
      return event.defaultPrevented;
    };
    return { send, requests };
  }

  const chord = (extra: Partial<Chord> = {}) => key({ key: 'S', code: 'KeyS', control: true, alt: true, shift: true, ...extra });

  it('swallows the chord, press and release, and asks for the PIN pad once per press', () => {
    const { send, requests } = watchedContents();
    expect(send(chord())).toBe(true);
    expect(send(chord(), 'keyDown', true)).toBe(true);
    expect(send(chord(), 'keyUp')).toBe(true);
    expect(requests).toEqual(['pin pad']);
    send(chord());
    expect(requests).toEqual(['pin pad', 'pin pad']);
  });

  it('matches the physical key, so AZERTY, QWERTZ and a Shift-changed character are the same chord', () => {
    const { send, requests } = watchedContents();
    expect(send(chord({ key: 'ß' }))).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('lets through what is not exactly the chord: a modifier short, one too many, another key', () => {
    const { send, requests } = watchedContents();
    expect(send(chord({ alt: false }))).toBe(false);
    expect(send(chord({ meta: true }))).toBe(false);
    expect(send(key({ key: 'D', code: 'KeyD', control: true, alt: true, shift: true }))).toBe(false);
    expect(send(key({ key: 's', code: 'KeyS' }))).toBe(false);
    expect(requests).toEqual([]);
  });

  it('reads the chord in force at every key', () => {
    let configured = 'Control+Alt+Shift+S';
    const { send, requests } = watchedContents({ keyChord: () => configured });
    configured = 'Control+Alt+F9';
    expect(send(chord())).toBe(false);
    expect(send(key({ key: 'F9', code: 'F9', control: true, alt: true }))).toBe(true);
    expect(requests).toHaveLength(1);
  });

  it('does nothing in a page where the shell does not answer it', () => {
    const { send, requests } = watchedContents({ answersIn: () => false });
    expect(send(chord())).toBe(false);
    expect(requests).toEqual([]);
  });

  it('ignores mouse and other inputs, and a chord the configuration cannot name', () => {
    const { send, requests } = watchedContents({ keyChord: () => 'S' });
    expect(send(chord())).toBe(false);
    expect(send(chord(), 'char')).toBe(false);
    expect(requests).toEqual([]);
    expect(isStaffChord(null, chord())).toBe(false);
    expect(isStaffChord(parseKeyChord('Control+Alt+Shift+S'), chord())).toBe(true);
  });

  it('holds for a chord that the lockdown would also block (Control+Shift+S is "save")', () => {
    const { send, requests } = watchedContents({ keyChord: () => 'Control+Shift+S' });
    expect(blocked(key({ key: 'S', code: 'KeyS', control: true, shift: true }))).toBe(true);
    expect(send(key({ key: 'S', code: 'KeyS', control: true, shift: true }))).toBe(true);
    expect(requests).toHaveLength(1);
  });
});
