/**
 * A label as part of a file name the kiosk offers for saving (exports, the configuration):
 * "PC 3 — Salle d'étude" → "pc-3-salle-d-etude". Only [a-z0-9-], so it is safe on every
 * system and carries no path; at most 40 characters; empty when the label has no letter or
 * digit, so callers choose their own stand-in.
 */
export function fileNamePart(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
}
