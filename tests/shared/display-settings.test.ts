/**
 * The visitor's display settings: the steps of the one text-size button, the zoom of the
 * service pages, what the usage log learns, and the schema every channel checks.
 */
import { describe, expect, it } from 'vitest';
import { formatFieldPath } from '../../shared/config/schema';
import {
  DEFAULT_DISPLAY,
  DisplaySettingsSchema,
  LARGEST_TEXT_SIZE,
  TEXT_SIZES,
  TextSizeSchema,
  nextTextSize,
  optionsTurnedOn,
  sameDisplay,
  zoomFactorOf,
  type DisplaySettings,
  type TextSize,
} from '../../shared/display-settings';
import { ACCESSIBILITY_OPTIONS, UsageEventSchema } from '../../shared/usage-events';

/** Every combination of the three settings: 4 sizes × 2 × 2. */
const EVERY_DISPLAY: readonly DisplaySettings[] = TEXT_SIZES.flatMap((textSize) =>
  [false, true].flatMap((highContrast) => [false, true].map((readAloud) => ({ textSize, highContrast, readAloud }))),
);

/** The problems of a refused value, as "field: message". */
function problemsOf(input: unknown): string[] {
  const result = DisplaySettingsSchema.safeParse(input);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(input)}`);
  return result.error.issues.map((issue) => `${formatFieldPath(issue.path)}: ${issue.message}`);
}

describe('the text sizes', () => {
  it('are three steps above normal, up to 200 %, in increasing order', () => {
    expect(TEXT_SIZES).toEqual([100, 125, 150, 200]);
    expect(TEXT_SIZES.filter((size) => size > 100)).toHaveLength(3);
    expect([...TEXT_SIZES].sort((a, b) => a - b)).toEqual([...TEXT_SIZES]);
    expect(LARGEST_TEXT_SIZE).toBe(200);
  });

  it('the button goes up one step per press, and from the largest back to normal', () => {
    expect(nextTextSize(100)).toBe(125);
    expect(nextTextSize(125)).toBe(150);
    expect(nextTextSize(150)).toBe(200);
    expect(nextTextSize(200)).toBe(100);
  });

  it('four presses come back where they started, having shown every size once', () => {
    for (const start of TEXT_SIZES) {
      const seen: TextSize[] = [];
      let size: TextSize = start;
      for (let press = 0; press < TEXT_SIZES.length; press += 1) {
        size = nextTextSize(size);
        seen.push(size);
      }
      expect(size).toBe(start);
      expect([...seen].sort((a, b) => a - b)).toEqual([...TEXT_SIZES]);
    }
  });

  it('a size that is not one of the steps (a bug in a caller) goes back to normal', () => {
    expect(nextTextSize(110 as TextSize)).toBe(100);
    expect(nextTextSize(Number.NaN as TextSize)).toBe(100);
  });

  it('zoom the service pages by the same ratio, 1 at normal size', () => {
    expect(TEXT_SIZES.map(zoomFactorOf)).toEqual([1, 1.25, 1.5, 2]);
    // Inside the range Chromium displays (0.25 to 5): never clamped.
    for (const size of TEXT_SIZES) {
      expect(zoomFactorOf(size)).toBeGreaterThanOrEqual(1);
      expect(zoomFactorOf(size)).toBeLessThanOrEqual(5);
    }
  });

  it('are read by TextSizeSchema, which refuses anything else, naming the steps', () => {
    for (const size of TEXT_SIZES) expect(TextSizeSchema.parse(size)).toBe(size);
    for (const bad of [0, 99, 101, 175, 250, 1.25, -100, '100', null, undefined, Number.NaN, Number.POSITIVE_INFINITY, [100], { size: 100 }]) {
      const result = TextSizeSchema.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('must be one of the text sizes in percent: 100, 125, 150, 200');
    }
  });
});

describe('the defaults', () => {
  it('are normal text, normal colours, nothing read aloud', () => {
    expect(DEFAULT_DISPLAY).toEqual({ textSize: 100, highContrast: false, readAloud: false });
    expect(DisplaySettingsSchema.parse(DEFAULT_DISPLAY)).toEqual(DEFAULT_DISPLAY);
  });

  it('cannot be changed by a caller that holds them: every visitor starts from the same ones', () => {
    expect(Object.isFrozen(DEFAULT_DISPLAY)).toBe(true);
    expect(() => {
      (DEFAULT_DISPLAY as { textSize: number }).textSize = 200;
    }).toThrow(TypeError);
    expect(DEFAULT_DISPLAY.textSize).toBe(100);
  });
});

describe('DisplaySettingsSchema', () => {
  it('accepts every combination of the settings, and gives back a copy equal to it', () => {
    for (const display of EVERY_DISPLAY) {
      const parsed = DisplaySettingsSchema.parse(display);
      expect(parsed).toEqual(display);
      expect(parsed).not.toBe(display);
    }
  });

  it('refuses a text size that is not a step, naming the field and the steps', () => {
    expect(problemsOf({ textSize: 175, highContrast: false, readAloud: false })).toEqual(['textSize: must be one of the text sizes in percent: 100, 125, 150, 200']);
    expect(problemsOf({ textSize: '150', highContrast: false, readAloud: false })).toEqual(['textSize: must be one of the text sizes in percent: 100, 125, 150, 200']);
    expect(problemsOf({ textSize: 1.5, highContrast: false, readAloud: false })).toEqual(['textSize: must be one of the text sizes in percent: 100, 125, 150, 200']);
  });

  it('refuses a switch that is not true or false, naming it', () => {
    expect(problemsOf({ textSize: 100, highContrast: 'yes', readAloud: false })).toEqual(['highContrast: must be true or false']);
    expect(problemsOf({ textSize: 100, highContrast: false, readAloud: 1 })).toEqual(['readAloud: must be true or false']);
    expect(problemsOf({ textSize: 100, highContrast: null, readAloud: 'false' })).toEqual(['highContrast: must be true or false', 'readAloud: must be true or false']);
  });

  it('refuses missing settings, naming each one', () => {
    expect(problemsOf({})).toEqual([
      'textSize: must be one of the text sizes in percent: 100, 125, 150, 200',
      'highContrast: must be true or false',
      'readAloud: must be true or false',
    ]);
    expect(problemsOf({ textSize: 125, highContrast: true })).toEqual(['readAloud: must be true or false']);
  });

  it('refuses a field it does not know, naming it: nothing else travels with the settings', () => {
    const problems = problemsOf({ ...DEFAULT_DISPLAY, fontFamily: 'Comic Sans' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/fontFamily/);
    // As a JSON body gives it: "__proto__" is then a field of its own, refused like any other.
    expect(problemsOf(JSON.parse('{"textSize":100,"highContrast":false,"readAloud":false,"__proto__":{"textSize":200}}'))[0]).toMatch(/__proto__/);
  });

  it('refuses what is not an object at all', () => {
    for (const bad of [null, undefined, 100, 'large', true, [100, false, false]]) {
      expect(DisplaySettingsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('optionsTurnedOn', () => {
  it('names nothing when nothing changed', () => {
    for (const display of EVERY_DISPLAY) expect(optionsTurnedOn(display, display)).toEqual([]);
  });

  it('names larger text when the text leaves the normal size, whatever step it goes to', () => {
    for (const size of TEXT_SIZES.filter((step) => step !== 100)) {
      expect(optionsTurnedOn(DEFAULT_DISPLAY, { ...DEFAULT_DISPLAY, textSize: size })).toEqual(['larger-text']);
    }
  });

  it('does not name larger text again while it stays larger, nor when it goes back to normal', () => {
    expect(optionsTurnedOn({ ...DEFAULT_DISPLAY, textSize: 125 }, { ...DEFAULT_DISPLAY, textSize: 150 })).toEqual([]);
    expect(optionsTurnedOn({ ...DEFAULT_DISPLAY, textSize: 200 }, { ...DEFAULT_DISPLAY, textSize: 100 })).toEqual([]);
  });

  it('names strong colours and reading aloud when they are switched on, not off', () => {
    expect(optionsTurnedOn(DEFAULT_DISPLAY, { ...DEFAULT_DISPLAY, highContrast: true })).toEqual(['high-contrast']);
    expect(optionsTurnedOn(DEFAULT_DISPLAY, { ...DEFAULT_DISPLAY, readAloud: true })).toEqual(['read-aloud']);
    expect(optionsTurnedOn({ ...DEFAULT_DISPLAY, highContrast: true }, DEFAULT_DISPLAY)).toEqual([]);
    expect(optionsTurnedOn({ ...DEFAULT_DISPLAY, readAloud: true }, DEFAULT_DISPLAY)).toEqual([]);
  });

  it('names every option one change turned on, once each, in the order of ACCESSIBILITY_OPTIONS', () => {
    expect(optionsTurnedOn(DEFAULT_DISPLAY, { textSize: 200, highContrast: true, readAloud: true })).toEqual(['larger-text', 'high-contrast', 'read-aloud']);
    expect(optionsTurnedOn({ textSize: 150, highContrast: false, readAloud: true }, { textSize: 100, highContrast: true, readAloud: true })).toEqual(['high-contrast']);
  });

  it('agrees, for every pair of settings, with "off before and on after", and gives only usage events the log accepts', () => {
    const isOn = (display: DisplaySettings) => ({ 'larger-text': display.textSize !== 100, 'high-contrast': display.highContrast, 'read-aloud': display.readAloud });
    for (const before of EVERY_DISPLAY) {
      for (const after of EVERY_DISPLAY) {
        const expected = ACCESSIBILITY_OPTIONS.filter((option) => !isOn(before)[option] && isOn(after)[option]);
        const turnedOn = optionsTurnedOn(before, after);
        expect(turnedOn, `${JSON.stringify(before)} → ${JSON.stringify(after)}`).toEqual(expected);
        for (const option of turnedOn) expect(UsageEventSchema.safeParse({ type: 'accessibility-on', option }).success).toBe(true);
      }
    }
  });
});

describe('sameDisplay', () => {
  it('is true exactly for equal settings, whatever objects hold them', () => {
    for (const a of EVERY_DISPLAY) {
      for (const b of EVERY_DISPLAY) {
        expect(sameDisplay(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
      }
      expect(sameDisplay(a, { ...a })).toBe(true);
    }
  });

  it('tells each setting apart', () => {
    expect(sameDisplay(DEFAULT_DISPLAY, { ...DEFAULT_DISPLAY, textSize: 125 })).toBe(false);
    expect(sameDisplay(DEFAULT_DISPLAY, { ...DEFAULT_DISPLAY, highContrast: true })).toBe(false);
    expect(sameDisplay(DEFAULT_DISPLAY, { ...DEFAULT_DISPLAY, readAloud: true })).toBe(false);
  });
});
