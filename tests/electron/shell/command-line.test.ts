import { describe, expect, it } from 'vitest';
import {
  dataDirFromArguments,
  decideStartup,
  findDebuggingSwitches,
  UNSAFE_ALLOW_DEBUGGING_SWITCH,
  type DebuggingEvidence,
} from '../../../electron/shell/command-line';

const clean: DebuggingEvidence = {
  argv: ['/opt/epn-kiosk/epn-kiosk', '--data-dir=/var/lib/epn-kiosk'],
  execArgv: [],
  nodeOptions: undefined,
  hasChromiumSwitch: () => false,
  inspectorActive: false,
};

describe('dataDirFromArguments', () => {
  it('reads --data-dir=<folder>, the last one winning', () => {
    expect(dataDirFromArguments(['electron', 'dist/electron/main.cjs', '--data-dir=/tmp/kiosk-1'])).toBe('/tmp/kiosk-1');
    expect(dataDirFromArguments(['electron', '--data-dir=/a', '--data-dir=/b'])).toBe('/b');
    expect(dataDirFromArguments(['electron', '--data-dir=/with space/x'])).toBe('/with space/x');
  });

  it('ignores an empty value, the executable itself and look-alike switches', () => {
    expect(dataDirFromArguments(['electron', '--data-dir='])).toBeUndefined();
    expect(dataDirFromArguments(['--data-dir=/exe-position'])).toBeUndefined();
    expect(dataDirFromArguments(['electron', '--data-directory=/x', '--data-dir'])).toBeUndefined();
  });
});

describe('findDebuggingSwitches', () => {
  it('finds nothing on a clean start', () => {
    expect(findDebuggingSwitches(clean)).toEqual([]);
  });

  it.each([
    '--inspect',
    '--inspect=9229',
    '--inspect=0.0.0.0:9229',
    '--inspect-brk',
    '--inspect-brk=9229',
    '--inspect-port=9229',
    '--inspect-wait',
    '--debug',
    '--debug-brk',
    '--remote-debugging-port=9222',
    '--remote-debugging-pipe',
    '--remote-debugging-address=0.0.0.0',
    '-inspect',
    '--INSPECT',
    '--Remote-Debugging-Port=9222',
  ])('finds %s on the command line', (argument) => {
    expect(findDebuggingSwitches({ ...clean, argv: [...clean.argv, argument] })).toHaveLength(1);
  });

  it('finds them in Node\'s own arguments and in NODE_OPTIONS', () => {
    expect(findDebuggingSwitches({ ...clean, execArgv: ['--inspect=0'] })).toEqual(['--inspect']);
    expect(findDebuggingSwitches({ ...clean, nodeOptions: '--max-old-space-size=512 --inspect-brk' })).toEqual(['--inspect-brk']);
  });

  it('asks Chromium itself, which also reads spellings the argument list hides', () => {
    expect(findDebuggingSwitches({ ...clean, hasChromiumSwitch: (name) => name === 'remote-debugging-port' })).toEqual(['--remote-debugging-port']);
  });

  it('notices an inspector that is already listening', () => {
    expect(findDebuggingSwitches({ ...clean, inspectorActive: true })).toEqual(['(Node inspector active)']);
  });

  it('leaves ordinary switches and values alone', () => {
    const argv = [...clean.argv, '--lang=fr', '--data-dir=/tmp/--inspect', '--no-sandbox', '--enable-logging', '-r', 'loader.js', '/home/inspect/app'];
    expect(findDebuggingSwitches({ ...clean, argv })).toEqual([]);
  });

  it('does not count the executable\'s own name', () => {
    expect(findDebuggingSwitches({ ...clean, argv: ['--inspect'] })).toEqual([]);
  });
});

describe('decideStartup', () => {
  it('starts a clean kiosk', () => {
    expect(decideStartup({ ...clean, isPackaged: true })).toEqual({ start: true, UNSAFE_debuggingAllowed: false });
  });

  it('refuses to start with a debugging switch, naming it and the fix, in one line', () => {
    const decision = decideStartup({ ...clean, argv: [...clean.argv, '--remote-debugging-port=9222'], isPackaged: true });
    expect(decision.start).toBe(false);
    if (decision.start) return;
    expect(decision.reason).toContain('--remote-debugging-port');
    expect(decision.reason).toContain('refuses to start');
    expect(decision.reason).not.toContain('\n');
  });

  it('lets the test suite drive an unpackaged kiosk only with the UNSAFE switch, and says so', () => {
    const evidence = { ...clean, argv: [...clean.argv, UNSAFE_ALLOW_DEBUGGING_SWITCH], execArgv: ['--inspect=0'], hasChromiumSwitch: (name: string) => name === 'remote-debugging-port' };
    const decision = decideStartup({ ...evidence, isPackaged: false });
    expect(decision).toMatchObject({ start: true, UNSAFE_debuggingAllowed: true });
    expect(decision.start && decision.warning).toContain('tests only');
  });

  it('ignores the UNSAFE switch in an installed (packaged) kiosk', () => {
    const evidence = { ...clean, argv: [...clean.argv, UNSAFE_ALLOW_DEBUGGING_SWITCH, '--inspect'] };
    expect(decideStartup({ ...evidence, isPackaged: true }).start).toBe(false);
  });

  it('does not need the UNSAFE switch to be used when nothing is there to allow', () => {
    expect(decideStartup({ ...clean, argv: [...clean.argv, UNSAFE_ALLOW_DEBUGGING_SWITCH], isPackaged: false })).toEqual({ start: true, UNSAFE_debuggingAllowed: false });
  });
});
