/**
 * How a visitor wants the screens: text size, strong colours, reading aloud. Chosen with
 * the toolbar's buttons, kept by the main side for the visitor's session only (the next
 * visitor starts from the defaults), applied to the kiosk's own screens (the root font
 * size, a theme) and to the service pages (Electron's zoom factor).
 */
import { z } from 'zod';
import type { AccessibilityOption } from './usage-events';

/** The text sizes, in percent of the normal size: three steps up to 200 %. */
export const TEXT_SIZES = [100, 125, 150, 200] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export const TextSizeSchema = z.union(
  TEXT_SIZES.map((size) => z.literal(size)),
  { error: `must be one of the text sizes in percent: ${TEXT_SIZES.join(', ')}` },
) as unknown as z.ZodType<TextSize>;

export const DisplaySettingsSchema = z
  .object({
    textSize: TextSizeSchema,
    highContrast: z.boolean({ error: 'must be true or false' }),
    readAloud: z.boolean({ error: 'must be true or false' }),
  })
  .strict();
export type DisplaySettings = z.infer<typeof DisplaySettingsSchema>;

export const DEFAULT_DISPLAY: DisplaySettings = Object.freeze({ textSize: 100, highContrast: false, readAloud: false });

export const LARGEST_TEXT_SIZE: TextSize = TEXT_SIZES[TEXT_SIZES.length - 1] ?? 200;

/**
 * The one text-size button goes up a step each press, and from the largest size back to
 * normal: the button's label says which of the two a press does.
 */
export function nextTextSize(size: TextSize): TextSize {
  const index = TEXT_SIZES.indexOf(size);
  return TEXT_SIZES[(index + 1) % TEXT_SIZES.length] ?? TEXT_SIZES[0];
}

/** The zoom factor of the service pages for a text size (Electron's webContents.setZoomFactor). */
export function zoomFactorOf(size: TextSize): number {
  return size / 100;
}

/** The options a change turned on (for the usage log: which options visitors use, never who). */
export function optionsTurnedOn(before: DisplaySettings, after: DisplaySettings): AccessibilityOption[] {
  const turnedOn: AccessibilityOption[] = [];
  if (before.textSize === 100 && after.textSize !== 100) turnedOn.push('larger-text');
  if (!before.highContrast && after.highContrast) turnedOn.push('high-contrast');
  if (!before.readAloud && after.readAloud) turnedOn.push('read-aloud');
  return turnedOn;
}

export function sameDisplay(a: DisplaySettings, b: DisplaySettings): boolean {
  return a.textSize === b.textSize && a.highContrast === b.highContrast && a.readAloud === b.readAloud;
}
