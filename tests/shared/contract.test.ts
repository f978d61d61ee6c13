import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildKioskBridge, type BridgeTransport } from '../../shared/bridge';
import { dispatchContractCall } from '../../shared/contract-dispatch';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  eventChannels,
  invokeChannels,
  type ArgumentOf,
  type ContractHandlers,
  type Envelope,
  type EventChannel,
  type InvokeChannel,
} from '../../shared/contract';
import { parseKioskConfig, type KioskConfig } from '../../shared/config/schema';
import { DEFAULT_CONFIG } from '../../shared/config/default-config';
import { DEFAULT_DISPLAY } from '../../shared/display-settings';
import { summarizePeriod } from '../../shared/statistics/period';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface RecordedInvoke {
  readonly channel: InvokeChannel;
  readonly argument: unknown;
}

/** A transport that remembers what the bridge asked of it. */
function recordingTransport() {
  const invokes: RecordedInvoke[] = [];
  const listeners = new Map<EventChannel, Array<(payload: unknown) => void>>();
  const transport: BridgeTransport = {
    async invoke(channel, argument) {
      invokes.push({ channel, argument });
      return { ok: true, value: `answer to ${channel}` };
    },
    subscribe(event, listener) {
      const forEvent = listeners.get(event) ?? [];
      forEvent.push(listener);
      listeners.set(event, forEvent);
      return () => listeners.set(event, (listeners.get(event) ?? []).filter((candidate) => candidate !== listener));
    },
  };
  const emit = (event: EventChannel, payload: unknown) => (listeners.get(event) ?? []).forEach((listener) => listener(payload));
  return { transport, invokes, emit };
}

/** Every function the bridge exposes, as "domain.name", and anything else it holds. */
function bridgeSurface(bridge: object): { functions: string[]; others: string[] } {
  const functions: string[] = [];
  const others: string[] = [];
  for (const domain of Reflect.ownKeys(bridge)) {
    const members: unknown = Reflect.get(bridge, domain);
    if (typeof members !== 'object' || members === null) {
      others.push(String(domain));
      continue;
    }
    for (const name of Reflect.ownKeys(members)) {
      const member: unknown = Reflect.get(members, name);
      (typeof member === 'function' ? functions : others).push(`${String(domain)}.${String(name)}`);
    }
  }
  return { functions: functions.sort(), others };
}

function expectedBridgeNames(): string[] {
  const invokeNames = INVOKE_CHANNELS.map((channel) => channel.replace(':', '.'));
  const eventNames = EVENT_CHANNELS.map((event) => {
    const [domain, verb] = event.split(':') as [string, string];
    return `${domain}.on${verb[0]!.toUpperCase()}${verb.slice(1)}`;
  });
  return [...invokeNames, ...eventNames].sort();
}

describe('the contract lists', () => {
  it('INVOKE_CHANNELS and EVENT_CHANNELS are exactly the keys of the contract, all named domain:verb', () => {
    expect([...INVOKE_CHANNELS].sort()).toEqual(Object.keys(invokeChannels).sort());
    expect([...EVENT_CHANNELS].sort()).toEqual(Object.keys(eventChannels).sort());
    for (const channel of [...INVOKE_CHANNELS, ...EVENT_CHANNELS]) expect(channel).toMatch(/^[a-z]+:[a-z][A-Za-z]*$/);
  });
});

describe('buildKioskBridge', () => {
  let recorded: ReturnType<typeof recordingTransport>;
  beforeEach(() => {
    recorded = recordingTransport();
  });

  it('exposes exactly one named function per channel and per event, and nothing else', () => {
    const bridge = buildKioskBridge(recorded.transport);
    const surface = bridgeSurface(bridge);
    expect(surface.others).toEqual([]);
    expect(surface.functions).toEqual(expectedBridgeNames());
    expect(surface.functions).toHaveLength(INVOKE_CHANNELS.length + EVENT_CHANNELS.length);
    expect(surface.functions).toEqual(expect.arrayContaining(['service.open', 'session.end', 'help.request', 'config.get', 'config.onChanged']));
    expect(surface.functions).not.toContain('config.changed');
  });

  it('holds no generic entry point: no invoke, send or raw transport', () => {
    const bridge = buildKioskBridge(recorded.transport) as unknown as Record<string, unknown>;
    for (const generic of ['invoke', 'send', 'on', 'transport', 'ipcRenderer', 'subscribe']) expect(generic in bridge).toBe(false);
    for (const domain of Object.values(bridge)) {
      expect(Object.getPrototypeOf(domain)).toBe(Object.prototype);
      expect(Object.isFrozen(domain)).toBe(true);
    }
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends each call on its own channel with its argument, and answers with the transport envelope', async () => {
    const bridge = buildKioskBridge(recorded.transport);
    await expect(bridge.service.open({ serviceId: 'vdab' })).resolves.toEqual({ ok: true, value: 'answer to service:open' });
    await bridge.help.request({ serviceId: null, language: 'nl' });
    await bridge.service.back();
    expect(recorded.invokes).toEqual([
      { channel: 'service:open', argument: { serviceId: 'vdab' } },
      { channel: 'help:request', argument: { serviceId: null, language: 'nl' } },
      { channel: 'service:back', argument: undefined },
    ]);
  });

  it('reaches every invoke channel through its own function', async () => {
    const bridge = buildKioskBridge(recorded.transport) as unknown as Record<string, Record<string, (argument?: unknown) => Promise<Envelope<unknown>>>>;
    for (const channel of INVOKE_CHANNELS) {
      const [domain, verb] = channel.split(':') as [string, string];
      await bridge[domain]![verb]!({ marker: channel });
    }
    expect(recorded.invokes).toEqual(INVOKE_CHANNELS.map((channel) => ({ channel, argument: { marker: channel } })));
  });

  it('delivers events to listeners until they unsubscribe, and refuses a listener that is not a function', () => {
    const bridge = buildKioskBridge(recorded.transport);
    const received: unknown[] = [];
    const unsubscribe = bridge.config.onChanged((payload) => received.push(payload));
    recorded.emit('config:changed', 'first');
    unsubscribe();
    recorded.emit('config:changed', 'second');
    expect(received).toEqual(['first']);
    expect(() => bridge.config.onChanged('not a function' as unknown as () => void)).toThrow(TypeError);
  });
});

const STAFF_STATUS = { pinSet: true, open: false, closesAt: null, retryAt: null, failedAttempts: 0 } as const;

/** Handlers that record every call; each returns a value that honours the contract. */
function recordingHandlers(config: KioskConfig) {
  const calls: Array<{ channel: InvokeChannel; argument: unknown }> = [];
  const record = <C extends InvokeChannel>(channel: C, argument: ArgumentOf<C>) => calls.push({ channel, argument });
  const handlers: ContractHandlers = {
    'config:get': (argument) => {
      record('config:get', argument);
      return config;
    },
    'session:begin': (argument) => {
      record('session:begin', argument);
      return {};
    },
    'session:end': (argument) => {
      record('session:end', argument);
      return { erased: true };
    },
    'session:get': (argument) => {
      record('session:get', argument);
      return { phase: 'welcome', at: 0, language: null, countdownEndsAt: null, sessionEndsAt: null, lengthWarning: false, endReason: null, display: DEFAULT_DISPLAY };
    },
    'session:activity': (argument) => {
      record('session:activity', argument);
      return {};
    },
    'session:requestEnd': (argument) => {
      record('session:requestEnd', argument);
      return {};
    },
    'session:cancelEnd': (argument) => {
      record('session:cancelEnd', argument);
      return {};
    },
    'display:set': (argument) => {
      record('display:set', argument);
      return argument;
    },
    'files:list': (argument) => {
      record('files:list', argument);
      return [];
    },
    'files:choose': (argument) => {
      record('files:choose', argument);
      return {};
    },
    'service:open': async (argument) => {
      record('service:open', argument);
      return { presentation: 'kiosk-view', url: `https://${argument.serviceId}.example/` };
    },
    'service:back': (argument) => {
      record('service:back', argument);
      return { wentBack: true };
    },
    'service:close': (argument) => {
      record('service:close', argument);
      return {};
    },
    'service:setArea': (argument) => {
      record('service:setArea', argument);
      return {};
    },
    'help:request': (argument) => {
      record('help:request', argument);
      return { state: 'no-channel' };
    },
    'help:cancel': (argument) => {
      record('help:cancel', argument);
      return { state: 'none' };
    },
    'help:get': (argument) => {
      record('help:get', argument);
      return { state: 'none' };
    },
    'staff:status': (argument) => {
      record('staff:status', argument);
      return STAFF_STATUS;
    },
    'staff:setFirstPin': (argument) => {
      record('staff:setFirstPin', argument);
      return STAFF_STATUS;
    },
    'staff:open': (argument) => {
      record('staff:open', argument);
      return { ok: false, reason: 'wrong-pin', status: STAFF_STATUS };
    },
    'staff:close': (argument) => {
      record('staff:close', argument);
      return STAFF_STATUS;
    },
    'staff:activity': (argument) => {
      record('staff:activity', argument);
      return {};
    },
    'staff:changePin': (argument) => {
      record('staff:changePin', argument);
      return { ok: true, status: STAFF_STATUS };
    },
    'staff:getConfig': (argument) => {
      record('staff:getConfig', argument);
      return { config, lockedKeys: [], problems: [] };
    },
    'staff:saveConfig': (argument) => {
      record('staff:saveConfig', argument);
      return { ok: true, config };
    },
    'staff:checkConfigFile': (argument) => {
      record('staff:checkConfigFile', argument);
      return { ok: false, problems: [{ field: '', message: 'not JSON' }] };
    },
    'staff:exportConfig': (argument) => {
      record('staff:exportConfig', argument);
      return { fileName: 'config.json', mediaType: 'application/json', content: '{}' };
    },
    'staff:changeLog': (argument) => {
      record('staff:changeLog', argument);
      return { changes: [] };
    },
    'stats:summary': (argument) => {
      record('stats:summary', argument);
      return { ...summarizePeriod([], argument), storeWarning: null };
    },
    'stats:export': (argument) => {
      record('stats:export', argument);
      return { fileName: `statistics.${argument.format}`, mediaType: argument.format === 'csv' ? 'text/csv' : 'application/json', content: '' };
    },
  };
  return { handlers, calls };
}

function parsedDefaultConfig(): KioskConfig {
  const parsed = parseKioskConfig(DEFAULT_CONFIG);
  if (!parsed.ok) throw new Error('the built-in configuration must parse');
  return parsed.config;
}

describe('dispatchContractCall', () => {
  let recorded: ReturnType<typeof recordingHandlers>;
  beforeEach(() => {
    recorded = recordingHandlers(parsedDefaultConfig());
  });

  it('passes a valid call to its handler and answers with the value', async () => {
    const envelope = await dispatchContractCall(recorded.handlers, 'service:open', { serviceId: 'vdab' });
    expect(envelope).toEqual({ ok: true, value: { presentation: 'kiosk-view', url: 'https://vdab.example/' } });
    expect(recorded.calls).toEqual([{ channel: 'service:open', argument: { serviceId: 'vdab' } }]);
  });

  it('passes a statistics period and an export request to their handlers as given', async () => {
    const summary = await dispatchContractCall(recorded.handlers, 'stats:summary', { from: '2025-03-01', to: '2025-03-14', groupBy: 'week' });
    expect(summary.ok).toBe(true);
    expect(summary.ok && summary.value).toMatchObject({ from: '2025-03-01', to: '2025-03-14', groupBy: 'week', dayCount: 14, storeWarning: null });
    const exported = await dispatchContractCall(recorded.handlers, 'stats:export', { from: '2024-01-01', to: '2024-12-31', format: 'json' });
    expect(exported).toEqual({ ok: true, value: { fileName: 'statistics.json', mediaType: 'application/json', content: '' } });
    expect(recorded.calls).toEqual([
      { channel: 'stats:summary', argument: { from: '2025-03-01', to: '2025-03-14', groupBy: 'week' } },
      { channel: 'stats:export', argument: { from: '2024-01-01', to: '2024-12-31', format: 'json' } },
    ]);
  });

  it('passes calls without an argument, and a full configuration back through the result schema', async () => {
    await expect(dispatchContractCall(recorded.handlers, 'service:back', undefined)).resolves.toEqual({ ok: true, value: { wentBack: true } });
    const configuration = await dispatchContractCall(recorded.handlers, 'config:get', undefined);
    expect(configuration).toEqual({ ok: true, value: parsedDefaultConfig() });
    expect(recorded.calls.map((call) => call.channel)).toEqual(['service:back', 'config:get']);
  });

  it.each([
    ['a channel the contract does not have', 'service:delete', '"service:delete"'],
    ['a channel spelt with another case', 'Service:Open', '"Service:Open"'],
    ['an event channel, which only the main side sends', 'config:changed', '"config:changed"'],
    ['a key every object inherits', 'toString', '"toString"'],
    ['the prototype key', '__proto__', '"__proto__"'],
    ['the constructor key', 'constructor', '"constructor"'],
    ['an empty name', '', '""'],
    ['a number', 42, 'number'],
    ['nothing', undefined, 'undefined'],
    ['an object', { channel: 'service:open' }, 'object'],
  ])('refuses %s with unknown-channel', async (_what, channel, shown) => {
    const envelope = await dispatchContractCall(recorded.handlers, channel, { serviceId: 'vdab' });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('unknown-channel');
    expect(envelope.error.message).toContain(shown);
    expect(recorded.calls).toEqual([]);
  });

  it('shortens a very long unknown channel name in its message', async () => {
    const envelope = await dispatchContractCall(recorded.handlers, `x:${'y'.repeat(10_000)}`, undefined);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('unknown-channel');
    expect(envelope.error.message.length).toBeLessThan(200);
  });

  it.each([
    ['a service id with forbidden characters', 'service:open', { serviceId: 'Not An Id!' }, 'serviceId'],
    ['a service id of the wrong type', 'service:open', { serviceId: 7 }, 'serviceId'],
    ['a missing field', 'service:open', {}, 'serviceId'],
    ['a language the kiosk does not speak', 'session:begin', { language: 'xx' }, 'language'],
    ['a negative coordinate', 'service:setArea', { x: -1, y: 0, width: 800, height: 600 }, 'x'],
    ['a fractional width', 'service:setArea', { x: 0, y: 0, width: 800.5, height: 600 }, 'width'],
    ['a help request without a language', 'help:request', { serviceId: null }, 'language'],
    ['a statistics period with a day that does not exist', 'stats:summary', { from: '2025-02-30', to: '2025-03-01', groupBy: 'day' }, 'from'],
    ['a statistics period that ends before it starts', 'stats:summary', { from: '2025-03-02', to: '2025-03-01', groupBy: 'day' }, 'to'],
    ['a statistics period longer than three years', 'stats:summary', { from: '2020-01-01', to: '2025-01-01', groupBy: 'week' }, 'to'],
    ['a grouping by month', 'stats:summary', { from: '2025-03-01', to: '2025-03-31', groupBy: 'month' }, 'groupBy'],
    ['an export in another format', 'stats:export', { from: '2025-03-01', to: '2025-03-31', format: 'xlsx' }, 'format'],
    ['an export of a period that ends before it starts', 'stats:export', { from: '2025-03-31', to: '2025-03-01', format: 'csv' }, 'to'],
    ['an export with a day written another way', 'stats:export', { from: '01/03/2025', to: '2025-03-31', format: 'json' }, 'from'],
  ])('refuses %s with invalid-argument naming the field', async (_what, channel, argument, field) => {
    const envelope = await dispatchContractCall(recorded.handlers, channel, argument);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('invalid-argument');
    expect(envelope.error.message).toContain(`${channel}: ${field}:`);
    expect(recorded.calls).toEqual([]);
  });

  it.each([
    ['service:open', { serviceId: 'vdab', url: 'file:///etc/passwd' }, 'url'],
    ['session:end', { force: true }, 'force'],
    ['service:setArea', { x: 0, y: 0, width: 1, height: 1, z: 9 }, 'z'],
    ['stats:summary', { from: '2025-03-01', to: '2025-03-31', groupBy: 'day', kioskId: 'all' }, 'kioskId'],
    ['stats:export', { from: '2025-03-01', to: '2025-03-31', format: 'csv', threshold: 1 }, 'threshold'],
  ])('refuses an extra property on %s and names it', async (channel, argument, extra) => {
    const envelope = await dispatchContractCall(recorded.handlers, channel, argument);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('invalid-argument');
    expect(envelope.error.message).toContain(`"${extra}"`);
    expect(recorded.calls).toEqual([]);
  });

  it.each([
    ['a text', 'vdab'],
    ['null', null],
    ['an array', [{ serviceId: 'vdab' }]],
    ['a number', 1],
    ['nothing', undefined],
  ])('refuses %s where an object is expected', async (_what, argument) => {
    const envelope = await dispatchContractCall(recorded.handlers, 'service:open', argument);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('invalid-argument');
    expect(envelope.error.message).toMatch(/^service:open: /);
    expect(recorded.calls).toEqual([]);
  });

  it('refuses an argument on a channel that takes none', async () => {
    const envelope = await dispatchContractCall(recorded.handlers, 'service:close', {});
    expect(envelope).toEqual({ ok: false, error: { code: 'invalid-argument', message: 'service:close: takes no argument' } });
    expect(recorded.calls).toEqual([]);
  });

  describe('a handler that goes wrong gives "failed" and never throws', () => {
    const failingWith = (replacement: Partial<Record<InvokeChannel, (argument: unknown) => unknown>>): ContractHandlers =>
      ({ ...recordingHandlers(parsedDefaultConfig()).handlers, ...replacement }) as ContractHandlers;

    it.each([
      ['throws an Error', () => { throw new Error('the view could not be created'); }, 'service:open: the view could not be created'],
      ['rejects', () => Promise.reject(new Error('network is down')), 'service:open: network is down'],
      ['throws something that is not an Error', () => { throw 'plain text'; }, 'service:open: plain text'],
      ['rejects with nothing', () => Promise.reject(undefined), 'service:open: undefined'],
    ])('when it %s', async (_what, handler, message) => {
      const call = dispatchContractCall(failingWith({ 'service:open': handler }), 'service:open', { serviceId: 'vdab' });
      await expect(call).resolves.toEqual({ ok: false, error: { code: 'failed', message } });
    });

    it.each([
      ['a file name with a folder', { fileName: '../statistics.csv', mediaType: 'text/csv', content: '' }, 'fileName'],
      ['a file name with a line break', { fileName: 'statistics\n.csv', mediaType: 'text/csv', content: '' }, 'fileName'],
      ['something that is not a media type', { fileName: 'statistics.csv', mediaType: 'csv', content: '' }, 'mediaType'],
      ['no content', { fileName: 'statistics.csv', mediaType: 'text/csv' }, 'content'],
    ])('when an export comes back with %s', async (_what, result, named) => {
      const envelope = await dispatchContractCall(failingWith({ 'stats:export': () => result }), 'stats:export', { from: '2025-03-01', to: '2025-03-31', format: 'csv' });
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('failed');
      expect(envelope.error.message).toContain(`stats:export: the handler's result broke the contract (${named}:`);
    });

    it('when a summary comes back without its store warning', async () => {
      const { storeWarning: _left, ...withoutWarning } = { ...summarizePeriod([], { from: '2025-03-01', to: '2025-03-07', groupBy: 'day' }), storeWarning: null };
      const envelope = await dispatchContractCall(failingWith({ 'stats:summary': () => withoutWarning }), 'stats:summary', { from: '2025-03-01', to: '2025-03-07', groupBy: 'day' });
      expect(envelope.ok).toBe(false);
      expect(!envelope.ok && envelope.error.message).toContain('storeWarning');
    });

    it.each([
      ['a result of the wrong type', { wentBack: 'yes' }, 'wentBack'],
      ['a result with an extra field', { wentBack: true, history: ['https://private.example/'] }, 'history'],
      ['no result at all', undefined, 'service:back'],
      ['a result that is not an object', 'done', 'service:back'],
    ])('when it returns %s', async (_what, result, named) => {
      const envelope = await dispatchContractCall(failingWith({ 'service:back': () => result }), 'service:back', undefined);
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('failed');
      expect(envelope.error.message).toContain("the handler's result broke the contract");
      expect(envelope.error.message).toContain(named);
    });

    it('when the handler map is missing the channel at run time', async () => {
      const { 'help:request': _left, ...incomplete } = recordingHandlers(parsedDefaultConfig()).handlers;
      const envelope = await dispatchContractCall(incomplete as ContractHandlers, 'help:request', { serviceId: null, language: 'fr' });
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('failed');
      expect(envelope.error.message).toMatch(/^help:request: /);
    });
  });
});

describe('a handler map that leaves out a channel does not compile', () => {
  const fixtureDirectory = path.join(repositoryRoot, 'tests/fixtures/typecheck');
  const fixturePath = path.join(fixtureDirectory, 'missing-handler.ts');
  const fixtureText = readFileSync(fixturePath, 'utf8');
  const missingMarker = '  // MISSING HANDLER: help:request\n';
  const completeText = fixtureText.replace(missingMarker, "  'help:request': () => ({ state: 'no-channel' }),\n");
  const handlerLine = (channel: InvokeChannel) => new RegExp(`^  '${channel}': .*\\n`, 'm');

  // Variants live next to the fixture, in memory only, so its relative import resolves the same way.
  const completePath = path.join(fixtureDirectory, 'complete-handlers.in-memory.ts');
  const withoutPath = (channel: InvokeChannel) => path.join(fixtureDirectory, `without-${channel.replace(':', '-')}.in-memory.ts`);
  const inMemoryFiles = new Map<string, string>([
    [completePath, completeText],
    ...INVOKE_CHANNELS.map((channel) => [withoutPath(channel), completeText.replace(handlerLine(channel), '')] as const),
  ]);

  interface Diagnostic {
    readonly code: number;
    readonly message: string;
  }
  let diagnosticsByFile: Map<string, Diagnostic[]>;

  /** One program for every variant, with the compiler options shared/ is checked with. */
  beforeAll(() => {
    const configFile = ts.getParsedCommandLineOfConfigFile(path.join(repositoryRoot, 'tsconfig.shared.json'), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    });
    if (configFile === undefined) throw new Error('tsconfig.shared.json could not be read');
    const host = ts.createCompilerHost(configFile.options, true);
    const readFromDisk = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const text = inMemoryFiles.get(path.resolve(fileName));
      return text === undefined ? readFromDisk(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, text, languageVersion, true);
    };
    const program = ts.createProgram({
      rootNames: [fixturePath, ...inMemoryFiles.keys(), path.join(repositoryRoot, 'shared/platform-globals.d.ts')],
      options: configFile.options,
      host,
    });
    diagnosticsByFile = new Map();
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const file = diagnostic.file === undefined ? '(no file)' : path.resolve(diagnostic.file.fileName);
      const forFile = diagnosticsByFile.get(file) ?? [];
      forFile.push({ code: diagnostic.code, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') });
      diagnosticsByFile.set(file, forFile);
    }
  }, 60_000);

  it('the fixture leaves out exactly one channel, help:request, behind a marker', () => {
    expect(fixtureText).toContain(missingMarker);
    const listed = INVOKE_CHANNELS.filter((channel) => handlerLine(channel).test(fixtureText));
    expect(listed).toEqual(INVOKE_CHANNELS.filter((channel) => channel !== 'help:request'));
  });

  it('fails with a diagnostic naming the missing channel', () => {
    const diagnostics = diagnosticsByFile.get(fixturePath) ?? [];
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual([2741]);
    expect(diagnostics[0]!.message).toContain('"help:request"');
    expect(diagnostics[0]!.message).toContain('ContractHandlers');
  });

  it('compiles without a single diagnostic once the handler is there, and nothing else fails', () => {
    expect(diagnosticsByFile.get(completePath)).toBeUndefined();
    const expectedFiles = [fixturePath, ...INVOKE_CHANNELS.map(withoutPath)].sort();
    expect([...diagnosticsByFile.keys()].sort()).toEqual(expectedFiles);
  });

  it.each(INVOKE_CHANNELS)('names %s when that handler is left out', (channel) => {
    expect(completeText).toMatch(handlerLine(channel));
    const diagnostics = diagnosticsByFile.get(withoutPath(channel)) ?? [];
    expect(diagnostics.map((diagnostic) => diagnostic.code)).toEqual([2741]);
    expect(diagnostics[0]!.message).toContain(`"${channel}"`);
  });
});
