/**
 * The hub's API schemas: pairing codes are read forgivingly (case, dash, spaces) but
 * only from the unambiguous alphabet; every body is strict, so a misspelt field is named;
 * a help request carries nothing but ids and a language; an upload cannot count a day twice.
 */
import { describe, expect, it } from 'vitest';
import {
  CreateHelpRequestSchema,
  DEVICE_TOKEN_PATTERN,
  HeartbeatRequestSchema,
  HubEventSchema,
  MAX_DELIVERY_DELAY_MS,
  MAX_UPLOAD_DAYS,
  PAIRING_CODE_ALPHABET,
  PAIRING_CODE_PATTERN,
  PairingClaimRequestSchema,
  PairingCodeSchema,
  StatisticsUploadSchema,
  normalizePairingCode,
} from '../../shared/hub-api';
import { formatFieldPath } from '../../shared/config/schema';
import { emptyDailyFigures } from '../../shared/statistics/daily-figures';

const KIOSK_ID = '0123456789abcdef0123456789abcdef';

function problems(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }): string[] {
  return result.success ? [] : (result.error?.issues ?? []).map((issue) => `${formatFieldPath(issue.path)}: ${issue.message}`);
}

describe('pairing codes', () => {
  it('leaves out characters people confuse when reading a phone screen aloud', () => {
    for (const confusable of ['0', 'O', '1', 'I', 'L']) expect(PAIRING_CODE_ALPHABET).not.toContain(confusable);
    for (const [digit, letter] of [['2', 'Z'], ['5', 'S'], ['8', 'B']] as const) {
      expect(PAIRING_CODE_ALPHABET.includes(digit) && PAIRING_CODE_ALPHABET.includes(letter), `${digit} and ${letter}`).toBe(false);
    }
    expect(new Set(PAIRING_CODE_ALPHABET).size).toBe(PAIRING_CODE_ALPHABET.length);
  });

  it.each([
    ['K7QM-RXHP', 'K7QM-RXHP'],
    ['k7qm-rxhp', 'K7QM-RXHP'],
    ['K7QMRXHP', 'K7QM-RXHP'],
    [' k7qm rxhp ', 'K7QM-RXHP'],
    ['K7-QM-RX-HP', 'K7QM-RXHP'],
  ])('reads %j as %s', (typed, code) => {
    expect(normalizePairingCode(typed)).toBe(code);
    expect(PAIRING_CODE_PATTERN.test(code)).toBe(true);
  });

  it.each(['', 'K7QM-RXH', 'K7QM-RXHPP', 'K0QM-RXHP', 'K7QM-RXH1', 'K7QM_RXHP', 'K7QM-RXHÉ', 'K7QM\nRXHP'.replace('\n', '.')])('refuses %j', (typed) => {
    expect(normalizePairingCode(typed)).toBeNull();
    expect(PairingCodeSchema.safeParse(typed).success).toBe(false);
  });

  it('gives the normalized code to whoever parses a claim', () => {
    const claim = PairingClaimRequestSchema.parse({ code: 'k7qm rxhp', name: ' Reception phone ' });
    expect(claim).toEqual({ code: 'K7QM-RXHP', name: 'Reception phone' });
  });

  it('names the misspelt field of a claim', () => {
    expect(problems(PairingClaimRequestSchema.safeParse({ code: 'K7QM-RXHP', name: 'PC 3', kioskid: KIOSK_ID }))).toEqual([': Unrecognized key: "kioskid"']);
    expect(problems(PairingClaimRequestSchema.safeParse({ code: 'K7QM-RXHP', name: '' }))[0]).toMatch(/^name: must not be empty/);
    expect(problems(PairingClaimRequestSchema.safeParse({ code: 'K7QM-RXHP', name: 'PC 3', kioskId: 'PC3' }))[0]).toMatch(/^kioskId: /);
  });
});

describe('device tokens', () => {
  it('are an id and a 256-bit secret in base64url', () => {
    expect(DEVICE_TOKEN_PATTERN.test(`${KIOSK_ID}.${'A'.repeat(43)}`)).toBe(true);
    expect(DEVICE_TOKEN_PATTERN.test(`${KIOSK_ID}.${'A'.repeat(42)}`)).toBe(false);
    expect(DEVICE_TOKEN_PATTERN.test(`${KIOSK_ID}.${'A'.repeat(42)}=`)).toBe(false);
    expect(DEVICE_TOKEN_PATTERN.test(`${KIOSK_ID.toUpperCase()}.${'A'.repeat(43)}`)).toBe(false);
  });
});

describe('help requests', () => {
  const request = { clientRequestId: KIOSK_ID, serviceId: 'myminfin', language: 'fr', delayMs: 0 };

  it('carry ids, a language and a delay, nothing else', () => {
    expect(CreateHelpRequestSchema.parse(request)).toEqual(request);
    expect(CreateHelpRequestSchema.parse({ ...request, serviceId: null })).toEqual({ ...request, serviceId: null });
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, url: 'https://www.myminfin.be/' }))).toEqual([': Unrecognized key: "url"']);
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, visitorName: 'Jean' }))).toEqual([': Unrecognized key: "visitorName"']);
  });

  it('name the wrong field and the fix', () => {
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, language: 'xx' }))[0]).toMatch(/^language: must be one of the kiosk's languages/);
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, delayMs: -1 }))).toEqual(['delayMs: must not be negative']);
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, delayMs: MAX_DELIVERY_DELAY_MS + 1 }))[0]).toMatch(/^delayMs: must be at most/);
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, clientRequestId: 'abc' }))[0]).toMatch(/^clientRequestId: must be 32 lowercase hexadecimal digits/);
    expect(problems(CreateHelpRequestSchema.safeParse({ ...request, serviceId: 'My Service' }))[0]).toMatch(/^serviceId: /);
  });
});

describe('heartbeats', () => {
  it('accept the three activities and refuse anything else', () => {
    for (const activity of ['free', 'in-session', 'out-of-order']) {
      expect(HeartbeatRequestSchema.safeParse({ name: 'PC 3', site: '', activity, appVersion: '0.1.0' }).success).toBe(true);
    }
    expect(problems(HeartbeatRequestSchema.safeParse({ name: 'PC 3', site: '', activity: 'busy', appVersion: '0.1.0' }))).toEqual(['activity: must be "free", "in-session" or "out-of-order"']);
    expect(problems(HeartbeatRequestSchema.safeParse({ name: 'PC 3', site: '', activity: 'free', appVersion: '<script>' }))[0]).toMatch(/^appVersion: /);
  });
});

describe('statistics uploads', () => {
  const day = (text: string) => emptyDailyFigures(text);

  it('accept a kiosk and its days', () => {
    const upload = { kioskId: KIOSK_ID, kiosk: { name: 'PC 3', site: 'EPN de Namur' }, days: [day('2026-11-20'), day('2026-11-21')] };
    expect(StatisticsUploadSchema.parse(upload)).toEqual(upload);
  });

  it('refuse a day listed twice, naming it', () => {
    const upload = { kioskId: KIOSK_ID, kiosk: { name: 'PC 3', site: '' }, days: [day('2026-11-20'), day('2026-11-20')] };
    expect(problems(StatisticsUploadSchema.safeParse(upload))).toEqual(['days[1].day: 2026-11-20 is listed twice: send each day once']);
  });

  it('refuse an empty upload and one too long', () => {
    expect(problems(StatisticsUploadSchema.safeParse({ kioskId: KIOSK_ID, kiosk: { name: 'PC 3', site: '' }, days: [] }))).toEqual(['days: must hold at least one day']);
    const tooMany = Array.from({ length: MAX_UPLOAD_DAYS + 1 }, (_, index) => day(new Date(Date.UTC(2024, 0, 1 + index)).toISOString().slice(0, 10)));
    expect(problems(StatisticsUploadSchema.safeParse({ kioskId: KIOSK_ID, kiosk: { name: 'PC 3', site: '' }, days: tooMany }))[0]).toMatch(/^days: must hold at most 400 days/);
  });

  it('name a broken count deep inside a day', () => {
    const broken = { ...day('2026-11-20'), sessions: 2.5 };
    expect(problems(StatisticsUploadSchema.safeParse({ kioskId: KIOSK_ID, kiosk: { name: 'PC 3', site: '' }, days: [broken] }))).toEqual(['days[0].sessions: must be a whole number']);
  });
});

describe('dashboard events', () => {
  it('are one of the three kinds, strictly', () => {
    expect(HubEventSchema.safeParse({ type: 'snapshot', serverTime: 1, kiosks: [], requests: [] }).success).toBe(true);
    expect(HubEventSchema.safeParse({ type: 'snapshot', serverTime: 1, kiosks: [], requests: [], extra: 1 }).success).toBe(false);
    expect(HubEventSchema.safeParse({ type: 'reload', serverTime: 1 }).success).toBe(false);
  });
});
