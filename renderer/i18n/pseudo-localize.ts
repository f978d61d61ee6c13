/**
 * Pseudo-localization for the layout checks: every text turned into a longer, accented,
 * bracketed version of itself ("Aide" → "⟦Áíḋëë ~⟧"), so that a screen drawn with it
 * shows at a glance which label is clipped (a bracket is missing), which text was
 * never translated (no accents) and where longer languages (German, Dutch…) will
 * overflow. The preview turns it on with `?pseudo-locale` in its address
 * (tests/e2e/layout.spec.ts); visitors never see it.
 *
 * What i18next or React must still read is left exactly as it is: {{placeholders}},
 * $t(…) nesting, HTML-like tags (<0>, </strong>, <br/>) and character entities.
 */
import type { PostProcessorModule } from 'i18next';

export const PSEUDO_LOCALE_NAME = 'pseudo-locale';

/** Where clipping shows: a text whose closing bracket cannot be seen was cut. */
export const PSEUDO_OPEN = '\u27E6';
export const PSEUDO_CLOSE = '\u27E7';

/** Added to each text's length: German runs about 30-40 % longer than English. */
export const PSEUDO_GROWTH = 0.4;
export const PSEUDO_MIN_EXTRA = 2;
/** What fills the rest of the extra length, in breakable groups so wrapping still works. */
const FILLER = '~';
const FILLER_GROUP = 6;

/**
 * One accented letter for every unaccented Latin one, each a single code point (so lengths
 * stay honest) that is the letter plus a mark, except q and Q, which have no such form.
 */
const ACCENTED: Readonly<Record<string, string>> = {
  a: 'á', b: 'ḃ', c: 'ç', d: 'ḋ', e: 'ë', f: 'ḟ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ĺ', m: 'ṁ',
  n: 'ñ', o: 'ö', p: 'ṕ', q: 'ʠ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ḃ', C: 'Ç', D: 'Ḋ', E: 'Ë', F: 'Ḟ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ĺ', M: 'Ṁ',
  N: 'Ñ', O: 'Ö', P: 'Ṕ', Q: 'Ɋ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ú', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/** Letters doubled to make words longer (in their accented form). */
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y', 'A', 'E', 'I', 'O', 'U', 'Y']);

type Segment = { readonly kept: boolean; readonly text: string };

/** The length of `$t(…)` starting at `start`, with nested parentheses and quoted strings; 0 when it never closes. */
function nestingLength(text: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let index = start + 2; index < text.length; index += 1) {
    const character = text[index];
    if (quote !== null) {
      if (character === '\\') index += 1;
      else if (character === quote) quote = null;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth -= 1;
      if (depth === 0) return index + 1 - start;
    }
  }
  return 0;
}

const PLACEHOLDER = /^\{\{[^{}]*\}\}/;
const TAG = /^<\/?[A-Za-z0-9][^<>]*>/;
const ENTITY = /^&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);/;

/** How long the token i18next or React reads at `index` is, or 0 when a person's text is there. */
function keptTokenLength(text: string, index: number): number {
  const rest = text.slice(index);
  if (rest.startsWith('$t(')) return nestingLength(text, index);
  for (const pattern of [PLACEHOLDER, TAG, ENTITY]) {
    const match = pattern.exec(rest);
    if (match !== null) return match[0].length;
  }
  return 0;
}

/** The text cut into what a person reads and what must stay as it is. */
export function segmentsOf(text: string): Segment[] {
  const segments: Segment[] = [];
  let readable = '';
  let index = 0;
  while (index < text.length) {
    const kept = text[index] === '$' || text[index] === '{' || text[index] === '<' || text[index] === '&' ? keptTokenLength(text, index) : 0;
    if (kept > 0) {
      if (readable !== '') segments.push({ kept: false, text: readable });
      readable = '';
      segments.push({ kept: true, text: text.slice(index, index + kept) });
      index += kept;
    } else {
      readable += text[index];
      index += 1;
    }
  }
  if (readable !== '') segments.push({ kept: false, text: readable });
  return segments;
}

/** How many characters a text of `length` readable characters gains. */
export function extraLengthFor(length: number): number {
  return Math.max(PSEUDO_MIN_EXTRA, Math.ceil(length * PSEUDO_GROWTH));
}

function fillerOf(length: number): string {
  const groups: string[] = [];
  for (let left = length; left > 0; left -= FILLER_GROUP) groups.push(FILLER.repeat(Math.min(FILLER_GROUP, left)));
  return groups.join(' ');
}

/** True for a text this module already made: processing twice changes nothing. */
export function isPseudoLocalized(text: string): boolean {
  return text.startsWith(PSEUDO_OPEN) && text.endsWith(PSEUDO_CLOSE);
}

/**
 * The pseudo-localized form of a text: every unaccented Latin letter accented, about
 * 40 % longer (at least 2 characters: doubled vowels spread through the words, then a
 * breakable filler), the whole between ⟦ and ⟧. Texts with nothing to read (empty,
 * blank) are left as they are, so empty live regions stay empty.
 */
export function pseudoLocalize(text: string): string {
  if (text.trim() === '' || isPseudoLocalized(text)) return text;
  const segments = segmentsOf(text);
  const readable = segments.filter((segment) => !segment.kept).map((segment) => segment.text);
  const readableLength = readable.reduce((sum, part) => sum + [...part].length, 0);
  const vowelCount = readable.reduce((sum, part) => sum + [...part].filter((character) => VOWELS.has(character)).length, 0);
  const extra = extraLengthFor(readableLength);
  // Half the extra length lengthens words; the rest comes as filler, which always wraps.
  const doubled = Math.min(vowelCount, Math.floor(extra / 2));
  const fillerLength = extra - doubled;

  let vowelIndex = 0;
  let body = '';
  for (const segment of segments) {
    if (segment.kept) {
      body += segment.text;
      continue;
    }
    for (const character of segment.text) {
      const accented = ACCENTED[character] ?? character;
      body += accented;
      if (VOWELS.has(character)) {
        // Spread evenly: the n-th vowel is doubled when the running share of doublings goes up by one.
        if (Math.floor(((vowelIndex + 1) * doubled) / vowelCount) > Math.floor((vowelIndex * doubled) / vowelCount)) body += accented;
        vowelIndex += 1;
      }
    }
  }
  return `${PSEUDO_OPEN}${body} ${fillerOf(fillerLength)}${PSEUDO_CLOSE}`;
}

/**
 * The i18next post-processor: give it to createKioskI18n's `modules` and its name to
 * `postProcess`, and every text the screens show is pseudo-localized (after i18next has
 * filled in values and nested texts, so those are pseudo-localized too).
 */
export const pseudoLocalePostProcessor = {
  type: 'postProcessor',
  name: PSEUDO_LOCALE_NAME,
  process(value: string): string {
    return typeof value === 'string' ? pseudoLocalize(value) : value;
  },
} satisfies PostProcessorModule;

/** Whether a page address's query (`location.search`) asks for the pseudo-locale: `?pseudo-locale`. */
export function isPseudoLocaleRequested(search: string): boolean {
  return new URLSearchParams(search).has(PSEUDO_LOCALE_NAME);
}
