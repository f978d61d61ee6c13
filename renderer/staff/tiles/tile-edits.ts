/**
 * The tiles editor's model, without React: immutable edits of the draft configuration's
 * services, the form's draft of one tile, and what is wrong with it. The checks are the
 * schema's own (ServiceSchema) and the kiosk's own navigation decision, so the editor
 * never accepts a tile the main side would refuse, nor refuses one it would accept.
 */
import { HostNameSchema, ServiceSchema, type KioskConfig, type Service, type ServicePermission } from '../../../shared/config/schema';
import type { IconId } from '../../../shared/config/icons';
import type { LanguageCode } from '../../../shared/languages';
import { decideNavigation, type NavigationRefusal, type NavigationRules } from '../../../shared/navigation-policy';

/* ---------- Edits of the list ---------- */

function withServices(config: KioskConfig, services: Service[]): KioskConfig {
  return { ...config, services };
}

export function addService(config: KioskConfig, service: Service): KioskConfig {
  return withServices(config, [...config.services, service]);
}

export function replaceService(config: KioskConfig, index: number, service: Service): KioskConfig {
  if (index < 0 || index >= config.services.length) return config;
  return withServices(
    config,
    config.services.map((existing, position) => (position === index ? service : existing)),
  );
}

export function removeService(config: KioskConfig, index: number): KioskConfig {
  if (index < 0 || index >= config.services.length) return config;
  return withServices(
    config,
    config.services.filter((_, position) => position !== index),
  );
}

/** Moves the service at `from` so that it ends up at position `to` (both in the list before the move). */
export function moveService(config: KioskConfig, from: number, to: number): KioskConfig {
  const count = config.services.length;
  if (from < 0 || from >= count || to < 0 || to >= count || from === to) return config;
  const services = [...config.services];
  const [moved] = services.splice(from, 1);
  if (moved === undefined) return config;
  services.splice(to, 0, moved);
  return withServices(config, services);
}

/**
 * Where a dragged tile lands when dropped before the tile at `gapIndex` (the number of
 * tiles is a drop after the last one): the gap counts positions before the dragged tile
 * is taken out.
 */
export function dropTarget(from: number, gapIndex: number): number {
  return gapIndex > from ? gapIndex - 1 : gapIndex;
}

/* ---------- Ids ---------- */

const MAX_ID_LENGTH = 40;

/** A valid, unused service id made from a label: "Ma santé" → "ma-sante". */
export function suggestServiceId(label: string, takenIds: readonly string[]): string {
  const base =
    label
      .replace(/ß/g, 'ss')
      .replace(/[æÆ]/g, 'ae')
      .replace(/[œŒ]/g, 'oe')
      .normalize('NFD')
      .replace(/\p{Mark}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, MAX_ID_LENGTH)
      .replace(/-+$/, '') || 'tile';
  const taken = new Set(takenIds);
  if (!taken.has(base)) return base;
  for (let number = 2; ; number += 1) {
    const suffix = `-${number}`;
    const candidate = `${base.slice(0, MAX_ID_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/* ---------- The form's draft of one tile ---------- */

export type TextPerLanguage = Readonly<Partial<Record<LanguageCode, string>>>;

export interface TileDraft {
  readonly id: string;
  /** False while the id still follows the label (a new tile whose id nobody typed). */
  readonly idEdited: boolean;
  readonly label: TextPerLanguage;
  readonly hint: TextPerLanguage;
  readonly theme: string;
  readonly icon: IconId;
  readonly startUrl: string;
  readonly allowedDomains: readonly string[];
  readonly permissions: readonly ServicePermission[];
  readonly printing: boolean;
  readonly downloads: boolean;
  readonly uploads: boolean;
  readonly UNSAFE_allowHttpHosts: readonly string[];
}

export function emptyTileDraft(config: KioskConfig): TileDraft {
  return {
    id: '',
    idEdited: false,
    label: {},
    hint: {},
    theme: config.themes[0]?.id ?? '',
    icon: 'globe',
    startUrl: 'https://',
    allowedDomains: [],
    permissions: [],
    // The schema's defaults, so that a new tile behaves as one written in a file without these fields.
    printing: false,
    downloads: true,
    uploads: true,
    UNSAFE_allowHttpHosts: [],
  };
}

export function draftFromService(service: Service): TileDraft {
  return {
    id: service.id,
    idEdited: true,
    label: { ...service.label },
    hint: { ...(service.hint ?? {}) },
    theme: service.theme,
    icon: service.icon,
    startUrl: service.startUrl,
    allowedDomains: [...service.allowedDomains],
    permissions: [...service.permissions],
    printing: service.printing,
    downloads: service.downloads,
    uploads: service.uploads,
    UNSAFE_allowHttpHosts: [...service.UNSAFE_allowHttpHosts],
  };
}

/** Blank texts mean "no text in this language", not an empty label. */
function filledTexts(texts: TextPerLanguage): Partial<Record<LanguageCode, string>> {
  const filled: Partial<Record<LanguageCode, string>> = {};
  for (const [language, text] of Object.entries(texts) as [LanguageCode, string | undefined][]) {
    if (text !== undefined && text.trim() !== '') filled[language] = text.trim();
  }
  return filled;
}

/** The draft as a service of the configuration file, before the schema reads it. */
export function serviceInputFromDraft(draft: TileDraft): Record<string, unknown> {
  const hint = filledTexts(draft.hint);
  return {
    id: draft.id.trim(),
    label: filledTexts(draft.label),
    ...(Object.keys(hint).length > 0 ? { hint } : {}),
    theme: draft.theme,
    icon: draft.icon,
    startUrl: draft.startUrl.trim(),
    allowedDomains: [...draft.allowedDomains],
    permissions: [...draft.permissions],
    printing: draft.printing,
    downloads: draft.downloads,
    uploads: draft.uploads,
    UNSAFE_allowHttpHosts: [...draft.UNSAFE_allowHttpHosts],
  };
}

/** Languages offered to visitors that have no label yet. */
export function missingLabelLanguages(draft: TileDraft, offered: readonly LanguageCode[]): LanguageCode[] {
  const filled = filledTexts(draft.label);
  return offered.filter((language) => filled[language] === undefined);
}

/* ---------- What is wrong ---------- */

export type TileField = 'id' | 'label' | 'hint' | 'theme' | 'icon' | 'startUrl' | 'allowedDomains' | 'UNSAFE_allowHttpHosts' | 'options';

export type AddressRefusal =
  | { readonly reason: 'host' | 'insecure-http'; readonly host: string }
  | { readonly reason: 'port'; readonly host: string; readonly port: string }
  | { readonly reason: Exclude<NavigationRefusal, 'host' | 'port' | 'insecure-http'> };

export type TileProblem =
  | { readonly kind: 'idFormat' }
  | { readonly kind: 'idTaken'; readonly id: string }
  | { readonly kind: 'labelMissing' }
  | { readonly kind: 'tooLong'; readonly language: LanguageCode | null }
  | { readonly kind: 'theme' }
  | { readonly kind: 'icon' }
  | { readonly kind: 'startUrlFormat' }
  | { readonly kind: 'startUrlRefused'; readonly refusal: AddressRefusal }
  | { readonly kind: 'domainsEmpty' }
  | { readonly kind: 'domainFormat'; readonly domain: string }
  | { readonly kind: 'generic' };

export type TileProblems = Readonly<Partial<Record<TileField, readonly TileProblem[]>>>;

export type TileCheck = { readonly ok: true; readonly service: Service } | { readonly ok: false; readonly problems: TileProblems };

export type AddressAnswer = { readonly allowed: true } | ({ readonly allowed: false } & AddressRefusal);

/** The kiosk's own decision for a visitor's top-level navigation, with what the words need. */
export function checkAddress(url: string, rules: NavigationRules): AddressAnswer {
  const decision = decideNavigation(url, rules, 'top-level');
  if (decision.allowed) return { allowed: true };
  const { reason } = decision;
  if (reason === 'host' || reason === 'port' || reason === 'insecure-http') {
    // These three are given only for an address the parser read.
    const address = new URL(url);
    if (reason === 'port') return { allowed: false, reason, host: address.hostname, port: address.port };
    return { allowed: false, reason, host: address.hostname };
  }
  return { allowed: false, reason };
}

function refusalOf(answer: AddressAnswer): AddressRefusal | null {
  if (answer.allowed) return null;
  const { allowed: _allowed, ...refusal } = answer;
  return refusal;
}

const LANGUAGE_KEYS = new Set<PropertyKey>(['fr', 'nl', 'de', 'en']);

function problemOf(field: TileField, path: readonly PropertyKey[], input: Record<string, unknown>): TileProblem {
  switch (field) {
    case 'id':
      return { kind: 'idFormat' };
    case 'label':
    case 'hint': {
      const language = path[1];
      if (language !== undefined && LANGUAGE_KEYS.has(language)) return { kind: 'tooLong', language: language as LanguageCode };
      return field === 'label' ? { kind: 'labelMissing' } : { kind: 'generic' };
    }
    case 'theme':
      return { kind: 'theme' };
    case 'icon':
      return { kind: 'icon' };
    case 'startUrl': {
      const startUrl = String(input.startUrl);
      const refusal = refusalOf(checkAddress(startUrl, { allowedDomains: input.allowedDomains as string[], UNSAFE_allowHttpHosts: input.UNSAFE_allowHttpHosts as string[] }));
      return refusal === null || refusal.reason === 'unparsable' || refusal.reason === 'scheme' ? { kind: 'startUrlFormat' } : { kind: 'startUrlRefused', refusal };
    }
    case 'allowedDomains':
    case 'UNSAFE_allowHttpHosts': {
      const index = path[1];
      const list = input[field] as readonly string[];
      if (typeof index === 'number') return { kind: 'domainFormat', domain: list[index] ?? '' };
      return field === 'allowedDomains' ? { kind: 'domainsEmpty' } : { kind: 'generic' };
    }
    case 'options':
      return { kind: 'generic' };
  }
}

function fieldOf(key: PropertyKey | undefined): TileField {
  switch (key) {
    case 'id':
    case 'label':
    case 'hint':
    case 'theme':
    case 'icon':
    case 'startUrl':
    case 'allowedDomains':
    case 'UNSAFE_allowHttpHosts':
      return key;
    default:
      return 'options';
  }
}

/**
 * The tile as the configuration would hold it, or what is wrong field by field.
 * `otherIds` are the ids of the draft configuration's other tiles; `themeIds` its themes.
 */
export function checkTileDraft(draft: TileDraft, otherIds: readonly string[], themeIds: readonly string[]): TileCheck {
  const input = serviceInputFromDraft(draft);
  const result = ServiceSchema.safeParse(input);
  const problems: Partial<Record<TileField, TileProblem[]>> = {};
  const add = (field: TileField, problem: TileProblem) => {
    (problems[field] ??= []).push(problem);
  };
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = fieldOf(issue.path[0]);
      add(field, problemOf(field, issue.path, input));
    }
  }
  const id = String(input.id);
  if (problems.id === undefined && otherIds.includes(id)) add('id', { kind: 'idTaken', id });
  if (problems.theme === undefined && !themeIds.includes(draft.theme)) add('theme', { kind: 'theme' });
  if (result.success && Object.keys(problems).length === 0) return { ok: true, service: result.data };
  return { ok: false, problems };
}

/* ---------- Allow-list entries ---------- */

/**
 * What staff typed as a website to allow, as an allow-list entry: lowercase, and the host
 * (with its port) of a pasted address, since staff often copy the whole address.
 */
export function hostEntryFromInput(text: string): string {
  const trimmed = text.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).host;
    } catch {
      return trimmed.toLowerCase();
    }
  }
  return trimmed.toLowerCase().replace(/\/+$/, '');
}

export type HostEntryCheck = { readonly ok: true; readonly entry: string } | { readonly ok: false; readonly problem: TileProblem | { readonly kind: 'domainDuplicate'; readonly domain: string } };

export function checkHostEntry(text: string, existing: readonly string[]): HostEntryCheck {
  const entry = hostEntryFromInput(text);
  if (!HostNameSchema.safeParse(entry).success) return { ok: false, problem: { kind: 'domainFormat', domain: text.trim() } };
  if (existing.includes(entry)) return { ok: false, problem: { kind: 'domainDuplicate', domain: entry } };
  return { ok: true, entry };
}
