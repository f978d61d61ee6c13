/**
 * The built-in pictograms a tile or theme may show. Configuration names an icon by
 * id only; the renderer maps each id to a drawing. Keeping the list here lets the
 * schema refuse an unknown icon with the list of valid ones.
 */
export const ICON_IDS = [
  'bank',
  'building',
  'bus',
  'calendar',
  'document',
  'family',
  'globe',
  'health',
  'house',
  'id-card',
  'job',
  'learning',
  'mail',
  'pension',
  'people',
  'phone',
  'shopping',
  'tax',
  'train',
  'wallet',
] as const;

export type IconId = (typeof ICON_IDS)[number];
