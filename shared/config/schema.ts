/**
 * The kiosk's configuration format (documented in docs/configuration.md).
 * Every message says which field is wrong and how to fix it: the people who edit
 * this file are EPN staff and IT departments, not the authors of the kiosk.
 */
import { z } from 'zod';
import { LANGUAGE_CODES, type LanguageCode } from '../languages';
import { ICON_IDS } from './icons';
import { ALLOW_LIST_ENTRY_PATTERN, decideNavigation, type NavigationRefusal } from '../navigation-policy';

export const CONFIG_SCHEMA_VERSION = 1;

/** Themes whose names the kiosk knows in every language (locales/<lang>/common.json, themes.*). */
export const BUILT_IN_THEME_IDS = ['administration', 'health', 'work', 'money', 'learning', 'everyday'] as const;

const languageList = LANGUAGE_CODES.join(', ');
const iconList = ICON_IDS.join(', ');

export const LanguageCodeSchema = z.enum(LANGUAGE_CODES, {
  error: `must be one of the kiosk's languages: ${languageList}`,
});

const identifier = (what: string) =>
  z
    .string({ error: `must be a text: the ${what}'s id, for example "my-service"` })
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, {
      error: `must be 1 to 40 characters of lowercase letters, digits and dashes, starting with a letter or digit (the ${what}'s id, for example "my-service")`,
    });

export const ServiceIdSchema = identifier('service');
export const ThemeIdSchema = identifier('theme');

/** A short text per language. Missing languages fall back to the default language, then English. */
export const LocalizedTextSchema = z
  .partialRecord(
    LanguageCodeSchema,
    z
      .string({ error: 'must be a text' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(60, { error: 'must be at most 60 characters: visitors read short labels best' }),
    { error: `must be an object with one text per language, for example {"fr": "Impôts", "en": "Taxes"}` },
  )
  .refine((texts) => Object.keys(texts).length > 0, {
    error: `must have a text in at least one language (${languageList})`,
  });

export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/**
 * One entry of a service's allow-list: a lowercase host, optionally with a port.
 * "example.be" allows example.be and its subdomains on the default port;
 * "intranet" or "192.168.1.20" (single-label hosts and IPv4 addresses) allow exactly
 * that host; "192.168.1.20:8080" also allows that one port. A dotted name ending in a
 * number ("10.1", "example.123") is refused: browsers read it as an IPv4 address.
 * The pattern and the decision itself live in shared/navigation-policy.
 */
export { ALLOW_LIST_ENTRY_PATTERN };

export const HostNameSchema = z
  .string({ error: 'must be a host name such as "www.example.be"' })
  .regex(ALLOW_LIST_ENTRY_PATTERN, {
    error:
      'must be a lowercase host name such as "example.be" or an IPv4 address such as "192.168.1.20" (optionally with a port, "example.be:8443"), without "https://", path or trailing dot; international names in their xn-- form',
  });

const IconIdSchema = z.enum(ICON_IDS, { error: `must be one of the built-in icons: ${iconList}` });

const START_ADDRESS_FIELDS = new Set<PropertyKey | undefined>(['startUrl', 'allowedDomains', 'UNSAFE_allowHttpHosts']);

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Says why the kiosk itself would refuse to open the start address, and what to change. */
function startUrlRefusalMessage(reason: NavigationRefusal, startUrl: string): string {
  switch (reason) {
    case 'unparsable':
      return 'must be a full web address without spaces, tabs or line breaks, for example "https://www.example.be/"';
    case 'scheme':
      return 'must be a full web address starting with https://, for example "https://www.example.be/"';
    case 'user-info':
      return 'must not contain a user name or password: remove the part before "@"';
  }
  // The remaining refusals are only given for an address the parser read.
  const { hostname: host, port } = new URL(startUrl);
  switch (reason) {
    case 'host':
      return `its host "${host}" is not in allowedDomains: add "${host}" (or its parent domain) to allowedDomains`;
    case 'port':
      return port === ''
        ? `uses the default port, but allowedDomains lists "${host}" only with another port: add "${host}" to allowedDomains, or put the port in the address`
        : `its port ${port} is not in allowedDomains: add "${host}:${port}" to allowedDomains, or remove the port from the address`;
    case 'insecure-http':
      return `uses plain http: use https://, or list "${host}" in UNSAFE_allowHttpHosts if the service has no https`;
  }
}

/** What a service may be allowed to use, one by one (docs/configuration.md). */
export const SERVICE_PERMISSIONS = ['camera', 'microphone', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen'] as const;
export type ServicePermission = (typeof SERVICE_PERMISSIONS)[number];

export const ServiceSchema = z
  .object(
    {
      id: ServiceIdSchema,
      label: LocalizedTextSchema,
      hint: LocalizedTextSchema.optional(),
      theme: ThemeIdSchema,
      icon: IconIdSchema,
      startUrl: z.url({
        protocol: /^https?$/,
        error: 'must be a full web address starting with https://, for example "https://www.example.be/"',
      }),
      allowedDomains: z
        .array(HostNameSchema, { error: 'must be a list of host names, for example ["example.be"]' })
        .min(1, { error: 'must list at least one host name: the service\'s own, for example ["example.be"]' }),
      /**
       * Devices and features the service's pages may use; everything else is denied.
       * A video consultation, for example, needs "camera" and "microphone".
       */
      permissions: z
        .array(z.enum(SERVICE_PERMISSIONS, { error: `must be one of: ${SERVICE_PERMISSIONS.join(', ')}` }), {
          error: 'must be a list of permissions, for example ["camera", "microphone"]',
        })
        .default([]),
      /** Whether the service's pages may print (the system's print dialog, on the kiosk's printers). */
      printing: z.boolean({ error: 'must be true or false' }).default(false),
      /** Whether files the service offers are kept in the visitor's "My files" (erased at the end of the session). */
      downloads: z.boolean({ error: 'must be true or false' }).default(true),
      /**
       * Whether the service may be given a file from "My files" when it asks for one (never any
       * other file). On, a file picker the page opens shows the visitor's "My files" instead of
       * the computer's disk; off, the picker is refused and the visitor told (docs/security.md).
       */
      uploads: z.boolean({ error: 'must be true or false' }).default(true),
      /** Hosts reached over plain http. Traffic to them can be read on the network. */
      UNSAFE_allowHttpHosts: z
        .array(HostNameSchema, { error: 'must be a list of host names, for example ["192.168.1.20"]' })
        .default([]),
    },
    { error: 'must be an object describing one service (id, label, theme, icon, startUrl, allowedDomains)' },
  )
  .strict()
  .superRefine(
    (service, context) => {
      // The kiosk must be able to open its own start address: the same decision as every later navigation.
      const decision = decideNavigation(service.startUrl, service, 'top-level');
      if (!decision.allowed) {
        context.addIssue({ code: 'custom', path: ['startUrl'], message: startUrlRefusalMessage(decision.reason, service.startUrl) });
      }
    },
    // Zod runs object refinements even after a field failed; one message per mistake is enough.
    { when: (payload) => isPlainObject(payload.value) && !payload.issues.some((issue) => START_ADDRESS_FIELDS.has(issue.path?.[0])) },
  );

export type Service = z.infer<typeof ServiceSchema>;

export const ThemeSchema = z
  .object(
    {
      id: ThemeIdSchema,
      icon: IconIdSchema,
      /** Needed only for a theme the kiosk does not know by name. */
      label: LocalizedTextSchema.optional(),
    },
    { error: 'must be an object describing one theme (id, icon, and label for a theme of your own)' },
  )
  .strict()
  .superRefine((theme, context) => {
    const builtIn = (BUILT_IN_THEME_IDS as readonly string[]).includes(theme.id);
    if (!builtIn && theme.label === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['label'],
        message: `is required for a theme of your own ("${theme.id}" is not one of ${BUILT_IN_THEME_IDS.join(', ')}): give it a label per language`,
      });
    }
  });

export type Theme = z.infer<typeof ThemeSchema>;

export const DEFAULT_SESSION_SETTINGS = {
  idleTimeoutSeconds: 180,
  idleWarningSeconds: 30,
  maxSessionMinutes: null,
  maxSessionWarningMinutes: 5,
  erasedMessageSeconds: 6,
} as const;

/** Timings of a visitor's session: idle timeout and warning, optional maximum length. */
export const SessionSettingsSchema = z
  .object(
    {
      idleTimeoutSeconds: z
        .number({ error: 'must be a number of seconds, for example 180' })
        .int({ error: 'must be a whole number of seconds' })
        .min(30, { error: 'must be at least 30 seconds: visitors need time to read' })
        .max(3600, { error: 'must be at most 3600 seconds (one hour)' })
        .default(DEFAULT_SESSION_SETTINGS.idleTimeoutSeconds),
      idleWarningSeconds: z
        .number({ error: 'must be a number of seconds, for example 30' })
        .int({ error: 'must be a whole number of seconds' })
        .min(10, { error: 'must be at least 10 seconds: the visitor must be able to answer the warning' })
        .max(300, { error: 'must be at most 300 seconds' })
        .default(DEFAULT_SESSION_SETTINGS.idleWarningSeconds),
      maxSessionMinutes: z
        .number({ error: 'must be a number of minutes, for example 60, or null for no maximum' })
        .int({ error: 'must be a whole number of minutes' })
        .min(10, { error: 'must be at least 10 minutes' })
        .max(720, { error: 'must be at most 720 minutes (12 hours)' })
        .nullable()
        .default(DEFAULT_SESSION_SETTINGS.maxSessionMinutes),
      maxSessionWarningMinutes: z
        .number({ error: 'must be a number of minutes, for example 5' })
        .int({ error: 'must be a whole number of minutes' })
        .min(1, { error: 'must be at least 1 minute' })
        .max(30, { error: 'must be at most 30 minutes' })
        .default(DEFAULT_SESSION_SETTINGS.maxSessionWarningMinutes),
      erasedMessageSeconds: z
        .number({ error: 'must be a number of seconds, for example 6' })
        .int({ error: 'must be a whole number of seconds' })
        .min(3, { error: 'must be at least 3 seconds: visitors need time to read it' })
        .max(30, { error: 'must be at most 30 seconds' })
        .default(DEFAULT_SESSION_SETTINGS.erasedMessageSeconds),
    },
    { error: 'must be an object with the session timings, for example {"idleTimeoutSeconds": 180}' },
  )
  .strict()
  .superRefine((settings, context) => {
    if (settings.maxSessionMinutes !== null && settings.maxSessionWarningMinutes >= settings.maxSessionMinutes) {
      context.addIssue({
        code: 'custom',
        path: ['maxSessionWarningMinutes'],
        message: `must be shorter than maxSessionMinutes (${settings.maxSessionMinutes}): the warning comes before the end`,
      });
    }
  });

export type SessionSettings = z.infer<typeof SessionSettingsSchema>;

export const DEFAULT_STATISTICS_SETTINGS = { retentionDays: 90, suppressionThreshold: 3 } as const;

/** How long raw usage events are kept, and the smallest count an export may show. */
export const StatisticsSettingsSchema = z
  .object(
    {
      retentionDays: z
        .number({ error: 'must be a number of days, for example 90' })
        .int({ error: 'must be a whole number of days' })
        .min(7, { error: 'must be at least 7 days: figures of a day are rolled up once the day is over' })
        .max(3650, { error: 'must be at most 3650 days (10 years)' })
        .default(DEFAULT_STATISTICS_SETTINGS.retentionDays),
      suppressionThreshold: z
        .number({ error: 'must be a number, for example 3' })
        .int({ error: 'must be a whole number' })
        .min(2, { error: 'must be at least 2: a count of 1 can point to one person' })
        .max(20, { error: 'must be at most 20' })
        .default(DEFAULT_STATISTICS_SETTINGS.suppressionThreshold),
    },
    { error: 'must be an object with the statistics settings, for example {"retentionDays": 90, "suppressionThreshold": 3}' },
  )
  .strict();

export type StatisticsSettings = z.infer<typeof StatisticsSettingsSchema>;

/** A longer text per language (a sentence or two), for example the help fallback. */
export const LocalizedMessageSchema = z
  .partialRecord(
    LanguageCodeSchema,
    z
      .string({ error: 'must be a text' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(200, { error: 'must be at most 200 characters: one or two short sentences' }),
    { error: `must be an object with one text per language, for example {"fr": "Levez la main", "en": "Raise your hand"}` },
  )
  .refine((texts) => Object.keys(texts).length > 0, { error: `must have a text in at least one language (${languageList})` });

const httpAddress = (what: string, example: string) =>
  z.url({ protocol: /^https?$/, error: `must be a full address starting with http:// or https://, for example "${example}" (${what})` }).max(500, { error: 'must be at most 500 characters' });

/** The kinds of receivers a help webhook can speak to (docs/help-call.md). */
export const WEBHOOK_FORMATS = ['json', 'ntfy', 'gotify'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const HelpWebhookSchema = z
  .object(
    {
      /** Where the JSON POST goes. A secret (a Gotify token, an ntfy topic) may be part of the address. */
      url: httpAddress('the notification service\'s address', 'https://ntfy.example.org/epn-help'),
      format: z.enum(WEBHOOK_FORMATS, { error: `must be one of: ${WEBHOOK_FORMATS.join(', ')}` }).default('json'),
    },
    { error: 'must be an object describing one webhook, for example {"url": "https://ntfy.example.org/epn-help", "format": "ntfy"}' },
  )
  .strict();
export type HelpWebhook = z.infer<typeof HelpWebhookSchema>;

/** How the Help button reaches a helper: the EPN's hub, webhooks, and what visitors are told when neither answers. */
export const HelpSettingsSchema = z
  .object(
    {
      hub: z
        .object(
          {
            /** The EPN hub's address on the local network, for example "http://192.168.1.10:8470". */
            url: httpAddress('the EPN hub', 'http://192.168.1.10:8470'),
            /**
             * A kiosk pairing code from the staff dashboard. The kiosk claims it once and keeps
             * its own credential in its data folder (hub-credential.json); the code is then spent.
             */
            pairingCode: z.string({ error: 'must be the pairing code shown on the staff dashboard, for example "K7QM-RXHP"' }).max(40).optional(),
          },
          { error: 'must be an object with the hub\'s address, for example {"url": "http://192.168.1.10:8470"}, or null' },
        )
        .strict()
        .nullable()
        .default(null),
      webhooks: z.array(HelpWebhookSchema, { error: 'must be a list of webhooks' }).max(5, { error: 'must list at most 5 webhooks' }).default([]),
      /** Shown when no helper can be reached (or none is set up). */
      fallback: z
        .object(
          {
            /** For example "Raise your hand: a helper will come." Default: the kiosk's own words. */
            message: LocalizedMessageSchema.optional(),
            /** A help line's number, shown as written, for example "+32 81 24 00 00". */
            phone: z
              .string({ error: 'must be a phone number as text, for example "+32 81 24 00 00"' })
              .trim()
              .regex(/^\+?[0-9][0-9 ./()-]{2,30}$/, { error: 'must be a phone number of digits, spaces and + . / ( ) -, for example "+32 81 24 00 00"' })
              .optional(),
          },
          { error: 'must be an object, for example {"phone": "+32 81 24 00 00"}' },
        )
        .strict()
        .default({}),
    },
    { error: 'must be an object with the help settings, for example {"hub": {"url": "http://192.168.1.10:8470"}}' },
  )
  .strict();
export type HelpSettings = z.infer<typeof HelpSettingsSchema>;

/**
 * The hub run inside the kiosk app on the staff PC (kiosk.role "staff"). The same
 * settings as `npm run hub`'s options (docs/hub.md).
 */
export const HubHostSettingsSchema = z
  .object(
    {
      /** The address or network interface name to listen on, and only that: "192.168.1.10", "eth0". Never every interface. */
      listen: z
        .string({ error: 'must be the address or interface the hub listens on, for example "192.168.1.10" or "eth0"' })
        .trim()
        .min(1, { error: 'must not be empty: name the address or interface the hub listens on, for example "192.168.1.10"' })
        .max(100)
        .refine((text) => !['0.0.0.0', '::', '[::]', '*'].includes(text), { error: 'must name one interface: listening on every interface is refused, name the one helpers\' phones reach, for example "192.168.1.10"' }),
      port: z.number({ error: 'must be a port number, for example 8470' }).int({ error: 'must be a whole number' }).min(1024, { error: 'must be at least 1024' }).max(65_535, { error: 'must be at most 65535' }).default(8470),
      /** PEM files for HTTPS; both or neither. */
      tlsCertFile: z.string().min(1).max(500).optional(),
      tlsKeyFile: z.string().min(1).max(500).optional(),
      /** A network hub to forward this EPN's daily statistics to, and the hub pairing code it gave. */
      upstream: z
        .object({ url: httpAddress('the network hub', 'https://hub.reseau-epn.be'), pairingCode: z.string().max(40).optional() }, { error: 'must be an object with the network hub\'s address, or null' })
        .strict()
        .nullable()
        .default(null),
    },
    { error: 'must be an object with the hub\'s settings, for example {"listen": "192.168.1.10", "port": 8470}' },
  )
  .strict()
  .superRefine((settings, context) => {
    if ((settings.tlsCertFile === undefined) !== (settings.tlsKeyFile === undefined)) {
      context.addIssue({ code: 'custom', path: [settings.tlsCertFile === undefined ? 'tlsCertFile' : 'tlsKeyFile'], message: 'must be given together with the other TLS file: HTTPS needs both the certificate and its key' });
    }
  });
export type HubHostSettings = z.infer<typeof HubHostSettingsSchema>;

/** The hidden entry to staff mode: a key chord and, on touch screens, taps in a corner. */
export const STAFF_KEY_CHORD_PATTERN = /^(?:(?:Control|Alt|Shift|Meta)\+){2,4}(?:[A-Z0-9]|F(?:[1-9]|1[0-2]))$/;
export const DEFAULT_STAFF_SETTINGS = { keyChord: 'Control+Alt+Shift+S', cornerTaps: true, autoCloseMinutes: 5 } as const;

export const StaffSettingsSchema = z
  .object(
    {
      /** At least two modifiers and a letter, digit or F-key, so a visitor does not press it by chance. */
      keyChord: z
        .string({ error: 'must be a key chord such as "Control+Alt+Shift+S"' })
        .regex(STAFF_KEY_CHORD_PATTERN, { error: 'must be two to four of Control, Alt, Shift, Meta joined by "+", then a capital letter, a digit or F1–F12, for example "Control+Alt+Shift+S"' })
        .refine((chord) => {
          const modifiers = chord.split('+').slice(0, -1);
          return new Set(modifiers).size === modifiers.length;
        }, { error: 'names a key twice: give each of Control, Alt, Shift, Meta at most once, for example "Control+Alt+Shift+S"' })
        .default(DEFAULT_STAFF_SETTINGS.keyChord),
      /** Five taps in the top-left corner within three seconds open the PIN pad on touch screens. */
      cornerTaps: z.boolean({ error: 'must be true or false' }).default(DEFAULT_STAFF_SETTINGS.cornerTaps),
      /** Staff mode closes by itself after this long without input. */
      autoCloseMinutes: z
        .number({ error: 'must be a number of minutes, for example 5' })
        .int({ error: 'must be a whole number of minutes' })
        .min(1, { error: 'must be at least 1 minute' })
        .max(60, { error: 'must be at most 60 minutes: an open staff screen in front of visitors is a risk' })
        .default(DEFAULT_STAFF_SETTINGS.autoCloseMinutes),
    },
    { error: 'must be an object with the staff entry settings, for example {"keyChord": "Control+Alt+Shift+S"}' },
  )
  .strict();
export type StaffSettings = z.infer<typeof StaffSettingsSchema>;

/**
 * The optional built-in updater (docs/configuration.md, "updates"). Off unless a feed is
 * given: kiosks are normally updated through the IT department's own channel.
 */
export const UpdateSettingsSchema = z
  .object(
    {
      /** An electron-builder "generic" feed (latest.yml, latest-linux.yml and the packages), over HTTPS only; null: no built-in updates. */
      feedUrl: z
        .url({ protocol: /^https$/, error: 'must be null or a full https:// address of the update feed, for example "https://updates.example.org/epn-kiosk/"' })
        .max(500, { error: 'must be at most 500 characters' })
        .nullable()
        .default(null),
    },
    { error: 'must be an object with the update feed\'s address, for example {"feedUrl": null} or {"feedUrl": "https://updates.example.org/epn-kiosk/"}' },
  )
  .strict();
export type UpdateSettings = z.infer<typeof UpdateSettingsSchema>;

export const KioskConfigSchema = z
  .object(
    {
      schemaVersion: z.literal(CONFIG_SCHEMA_VERSION, {
        error: `must be ${CONFIG_SCHEMA_VERSION}: this kiosk reads version ${CONFIG_SCHEMA_VERSION} of the configuration format`,
      }),
      kiosk: z
        .object(
          {
            name: z
              .string({ error: 'must be a text, for example "PC 3"' })
              .trim()
              .min(1, { error: 'must not be empty: give the PC a name helpers will recognise, for example "PC 3"' })
              .max(60, { error: 'must be at most 60 characters' }),
            site: z.string({ error: 'must be a text, for example "EPN de Namur"' }).trim().max(80, { error: 'must be at most 80 characters' }).default(''),
            /** "visitor": a public PC. "staff": the staff PC, which also runs the EPN hub (the `hub` settings). */
            role: z.enum(['visitor', 'staff'], { error: 'must be "visitor" (a public PC) or "staff" (the staff PC, which runs the EPN hub)' }).default('visitor'),
          },
          { error: 'must be an object with the kiosk\'s name and site, for example {"name": "PC 3", "site": "EPN de Namur"}' },
        )
        .strict(),
      languages: z
        .object(
          {
            offered: z
              .array(LanguageCodeSchema, { error: `must be a list of languages, for example ["fr", "nl", "de", "en"]` })
              .min(1, { error: 'must offer at least one language' }),
            default: LanguageCodeSchema,
          },
          { error: 'must be an object with the languages offered and the default one, for example {"offered": ["fr", "en"], "default": "fr"}' },
        )
        .strict()
        .superRefine((languages, context) => {
          if (!languages.offered.includes(languages.default)) {
            context.addIssue({
              code: 'custom',
              path: ['default'],
              message: `"${languages.default}" is not in languages.offered: add it there or choose one of ${languages.offered.join(', ')}`,
            });
          }
          const seen = new Set<LanguageCode>();
          languages.offered.forEach((code, index) => {
            if (seen.has(code)) {
              context.addIssue({ code: 'custom', path: ['offered', index], message: `"${code}" is listed twice: keep one` });
            }
            seen.add(code);
          });
        }),
      session: SessionSettingsSchema.default({ ...DEFAULT_SESSION_SETTINGS }),
      statistics: StatisticsSettingsSchema.default({ ...DEFAULT_STATISTICS_SETTINGS }),
      help: HelpSettingsSchema.default({ hub: null, webhooks: [], fallback: {} }),
      staff: StaffSettingsSchema.default({ ...DEFAULT_STAFF_SETTINGS }),
      /** Only for kiosk.role "staff": the EPN hub this PC runs. */
      hub: HubHostSettingsSchema.nullable().default(null),
      /** The built-in updater; absent or feedUrl null: updates come through the IT department's channel. */
      updates: UpdateSettingsSchema.optional(),
      themes: z
        .array(ThemeSchema, { error: 'must be a list of themes' })
        .min(1, { error: 'must list at least one theme' }),
      services: z.array(ServiceSchema, { error: 'must be a list of services' }),
    },
    { error: 'must be an object (the whole configuration file)' },
  )
  .strict()
  .superRefine((config, context) => {
    if (config.kiosk.role === 'staff' && config.hub === null) {
      context.addIssue({ code: 'custom', path: ['hub'], message: 'is required when kiosk.role is "staff": give the hub\'s settings, for example {"listen": "192.168.1.10"}, or set kiosk.role to "visitor"' });
    }
    const themeIds = new Set<string>();
    config.themes.forEach((theme, index) => {
      if (themeIds.has(theme.id)) {
        context.addIssue({ code: 'custom', path: ['themes', index, 'id'], message: `"${theme.id}" is used by two themes: give each theme its own id` });
      }
      themeIds.add(theme.id);
    });
    const serviceIds = new Set<string>();
    config.services.forEach((service, index) => {
      if (serviceIds.has(service.id)) {
        context.addIssue({ code: 'custom', path: ['services', index, 'id'], message: `"${service.id}" is used by two services: give each service its own id` });
      }
      serviceIds.add(service.id);
      if (!themeIds.has(service.theme)) {
        context.addIssue({
          code: 'custom',
          path: ['services', index, 'theme'],
          message: `"${service.theme}" is not a theme of this configuration: use one of ${[...themeIds].join(', ')}, or add it to themes`,
        });
      }
    });
  });

export type KioskConfig = z.infer<typeof KioskConfigSchema>;
/** The configuration as written in a file, before defaults are filled in. */
export type KioskConfigInput = z.input<typeof KioskConfigSchema>;

export interface ConfigProblem {
  /** Where the problem is, for example "services[2].startUrl". Empty for the whole file. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text === '' ? String(key) : `${text}.${String(key)}`;
  }, '');
}

export type ConfigParseResult =
  | { readonly ok: true; readonly config: KioskConfig }
  | { readonly ok: false; readonly problems: readonly ConfigProblem[] };

export function parseKioskConfig(input: unknown): ConfigParseResult {
  const result = KioskConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      field: formatFieldPath(issue.path),
      message: issue.code === 'unrecognized_keys' ? `has unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}: remove them or check their spelling` : issue.message,
    })),
  };
}

export function describeProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => (problem.field === '' ? problem.message : `${problem.field}: ${problem.message}`)).join('\n');
}

/** The text of a label in the visitor's language, else the kiosk's default, else English, else any. */
export function localize(text: LocalizedText, language: LanguageCode, fallback: LanguageCode): string {
  return text[language] ?? text[fallback] ?? text.en ?? Object.values(text).find((value) => value !== undefined) ?? '';
}
