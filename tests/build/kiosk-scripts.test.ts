/**
 * The scripts that turn a PC into a kiosk (build/linux, build/windows).
 *
 * Safety: this test never changes the machine it runs on. The Linux scripts are only ever run
 * with --dry-run, or with --root <temporary folder> --skip-system (files go to the folder, no
 * system command runs); `runScript` refuses anything else. The PowerShell scripts are never run:
 * they are parsed when `pwsh` is installed and checked for structure either way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const linuxDir = path.join(root, 'build', 'linux');
const windowsDir = path.join(root, 'build', 'windows');
const installSh = path.join(linuxDir, 'install-kiosk.sh');
const uninstallSh = path.join(linuxDir, 'uninstall-kiosk.sh');
const SHELLCHECK = '/usr/bin/shellcheck';

/** Every file install-kiosk.sh writes (under --root), outside the kiosk account's home. */
const SYSTEM_FILES = [
  '/etc/systemd/system/epn-kiosk.service',
  '/etc/systemd/logind.conf.d/epn-kiosk.conf',
  '/etc/systemd/system.conf.d/epn-kiosk.conf',
  '/etc/sysctl.d/90-epn-kiosk.conf',
  '/etc/polkit-1/rules.d/50-epn-kiosk.rules',
];
const HOME_FILES = ['/home/epn-kiosk/.config/gtk-3.0/settings.ini', '/home/epn-kiosk/.config/gtk-4.0/settings.ini'];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

function runScript(script: string, args: string[]): Run {
  const dryRun = args.includes('--dry-run');
  const sandboxed = args.includes('--skip-system') && args.includes('--root');
  if (!dryRun && !sandboxed) throw new Error('refusing to run a kiosk script for real: give --dry-run, or --root with --skip-system');
  const result = spawnSync('bash', [script, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lines: result.stdout.split('\n').filter((line) => line !== '') };
}

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      out.push(path.relative(dir, full));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

const sandboxes: string[] = [];
function sandbox(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'epn-kiosk-root-'));
  sandboxes.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Linux kiosk scripts', () => {
  it('pass shellcheck', (ctx) => {
    if (!existsSync(SHELLCHECK)) ctx.skip(`${SHELLCHECK} is not installed (apt-get install shellcheck); the scripts were not linted here`);
    const result = spawnSync(SHELLCHECK, ['--shell=bash', '--severity=style', installSh, uninstallSh], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('install --dry-run prints every change and writes nothing', () => {
    const dir = sandbox();
    const run = runScript(installSh, ['--dry-run', '--root', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.lines[0]).toBe('dry run: nothing is changed');
    for (const file of [...SYSTEM_FILES, ...HOME_FILES]) expect(run.lines).toContain(`would: write ${file} (mode 644)`);
    expect(run.lines).toContain('would: create /home/epn-kiosk');
    expect(run.lines).toContain('would: set /home/epn-kiosk to mode 0700');
    expect(run.lines).toContain('would: create /etc/epn-kiosk (mode 0755) for the managed configuration');
    // System steps are checked against this machine (read only): each is either to do or done.
    for (const step of ['the account epn-kiosk', 'epn-kiosk.service', 'ctrl-alt-del.target']) {
      expect(run.lines.some((line) => /^(would|already): /.test(line) && line.includes(step)), step).toBe(true);
    }
    expect(run.lines.filter((line) => line.startsWith('change: '))).toEqual([]);
    expect(run.lines.at(-1)).toMatch(/^done: \d+ change\(s\) would be made$/);
    expect(listTree(dir)).toEqual([]);
  });

  it('install in a sandbox writes the session files, and a second run changes nothing', () => {
    const dir = sandbox();
    const app = '/opt/EPN Kiosk/epn-kiosk';
    const first = runScript(installSh, ['--root', dir, '--skip-system']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    for (const file of [...SYSTEM_FILES, ...HOME_FILES]) {
      expect(first.lines).toContain(`change: write ${file} (mode 644)`);
      expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o644);
    }
    expect(first.lines).toContain('skipped (--skip-system): create the account epn-kiosk (home /home/epn-kiosk, shell /usr/sbin/nologin, password locked)');
    expect(statSync(path.join(dir, 'home/epn-kiosk')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'etc/epn-kiosk')).mode & 0o777).toBe(0o755);
    expect(existsSync(path.join(dir, 'etc/epn-kiosk/managed-config.json'))).toBe(false);

    const unit = readFileSync(path.join(dir, 'etc/systemd/system/epn-kiosk.service'), 'utf8');
    expect(unit).not.toMatch(/@[A-Z_]+@/);
    expect(unit).toContain(`ExecStart=/usr/bin/cage -- "${app}" --ozone-platform=wayland`);
    expect(unit).not.toMatch(/cage[^\n]* -s\b/); // -s would allow VT switching
    for (const line of ['User=epn-kiosk', 'PAMName=login', 'TTYPath=/dev/tty1', 'Restart=always', 'RestartSec=2', 'Conflicts=getty@tty1.service', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'ProtectHome=tmpfs', 'BindPaths=/home/epn-kiosk', 'StartLimitIntervalSec=0']) {
      expect(unit.split('\n')).toContain(line);
    }
    expect(unit).toMatch(/^After=.*systemd-user-sessions\.service/m);
    const logind = readFileSync(path.join(dir, 'etc/systemd/logind.conf.d/epn-kiosk.conf'), 'utf8');
    expect(logind).toMatch(/^NAutoVTs=0$/m);
    expect(logind).toMatch(/^ReserveVT=0$/m);
    expect(readFileSync(path.join(dir, 'etc/sysctl.d/90-epn-kiosk.conf'), 'utf8')).toMatch(/^kernel\.sysrq = 0$/m);
    expect(readFileSync(path.join(dir, 'etc/polkit-1/rules.d/50-epn-kiosk.rules'), 'utf8')).toContain('subject.user === "epn-kiosk"');
    expect(readFileSync(path.join(dir, HOME_FILES[0] ?? ''), 'utf8')).toMatch(/^gtk-print-backends=cups$/m);

    const snapshot = listTree(dir).map((file) => [file, statSync(path.join(dir, file)).isFile() ? readFileSync(path.join(dir, file), 'utf8') : 'dir']);
    const second = runScript(installSh, ['--root', dir, '--skip-system']);
    expect(second.status).toBe(0);
    expect(second.lines.filter((line) => line.startsWith('change: ') || line.startsWith('would: '))).toEqual([]);
    for (const file of SYSTEM_FILES) expect(second.lines).toContain(`already: ${file} is up to date`);
    expect(second.lines.at(-1)).toBe('done: nothing to change, the kiosk is set up');
    expect(listTree(dir).map((file) => [file, statSync(path.join(dir, file)).isFile() ? readFileSync(path.join(dir, file), 'utf8') : 'dir'])).toEqual(snapshot);
  });

  it('puts --app into the unit, and refuses a path a unit cannot hold', () => {
    const dir = sandbox();
    const run = runScript(installSh, ['--root', dir, '--skip-system', '--app', '/opt/Other Kiosk/kiosk']);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(dir, 'etc/systemd/system/epn-kiosk.service'), 'utf8')).toContain('ExecStart=/usr/bin/cage -- "/opt/Other Kiosk/kiosk"');

    const bad = sandbox();
    for (const app of ['/opt/x"; rm -rf /', '/opt/100%/kiosk', 'relative/kiosk']) {
      const refused = runScript(installSh, ['--root', bad, '--skip-system', '--app', app]);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/^error: /);
    }
    expect(listTree(bad)).toEqual([]);
  });

  it('uninstall --dry-run prints every removal and removes nothing; the real run undoes the install and keeps the data', () => {
    const dir = sandbox();
    expect(runScript(installSh, ['--root', dir, '--skip-system']).status).toBe(0);
    const before = listTree(dir);

    const dry = runScript(uninstallSh, ['--dry-run', '--root', dir]);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    for (const file of SYSTEM_FILES) expect(dry.lines).toContain(`would: remove ${file}`);
    expect(dry.lines).toContain('would: remove /etc/epn-kiosk/install-state');
    expect(dry.lines.filter((line) => line.startsWith('change: '))).toEqual([]);
    expect(listTree(dir)).toEqual(before);

    const undo = runScript(uninstallSh, ['--root', dir, '--skip-system']);
    expect(undo.status).toBe(0);
    for (const file of SYSTEM_FILES) expect(existsSync(path.join(dir, file))).toBe(false);
    expect(existsSync(path.join(dir, 'etc/epn-kiosk'))).toBe(false); // empty: removed
    for (const file of HOME_FILES) expect(existsSync(path.join(dir, file))).toBe(true); // data kept
    expect(undo.lines).toContain('note: the account epn-kiosk and /home/epn-kiosk are kept (give --remove-data to delete them)');

    const again = runScript(uninstallSh, ['--root', dir, '--skip-system']);
    expect(again.lines.filter((line) => line.startsWith('change: '))).toEqual([]);
    expect(again.lines.at(-1)).toBe('done: nothing to change');

    const purge = runScript(uninstallSh, ['--root', dir, '--skip-system', '--remove-data']);
    expect(purge.lines).toContain('change: delete /home/epn-kiosk and everything in it');
    expect(existsSync(path.join(dir, 'home/epn-kiosk'))).toBe(false);
  });

  it('uninstall keeps /etc/epn-kiosk when IT put a managed configuration there', () => {
    const dir = sandbox();
    expect(runScript(installSh, ['--root', dir, '--skip-system']).status).toBe(0);
    const managed = path.join(dir, 'etc/epn-kiosk/managed-config.json');
    spawnSync('cp', [path.join(linuxDir, 'gtk-settings.ini'), managed]);
    expect(runScript(uninstallSh, ['--root', dir, '--skip-system']).status).toBe(0);
    expect(existsSync(managed)).toBe(true);
  });
});

/** Text of a PowerShell script without comments (so the checks below read code only). */
function powershellCode(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/<#[\s\S]*?#>/g, '')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
}

/**
 * Commands that change the machine, each of which must run inside a block opened by a
 * `$PSCmdlet.ShouldProcess(...)` condition (so -WhatIf shows it instead of doing it).
 */
const MUTATING = /\b(?:New-LocalUser|Set-LocalUser|Remove-LocalUser|Add-LocalGroupMember|Remove-LocalGroupMember|Set-ItemProperty|New-ItemProperty|Remove-ItemProperty|New-Item|Remove-Item|Enable-WindowsOptionalFeature|Disable-WindowsOptionalFeature|Set-CimInstance|Remove-CimInstance|Restart-Computer)\b|-MethodName\s+(?:Set|Remove|Add)\w*|&\s*\$AutologonPath|::CreateProfile\(/g;

function unguardedChanges(code: string): string[] {
  // guarded[i]: is character i inside a block whose opening condition called ShouldProcess?
  const stack: boolean[] = [false];
  const guarded: boolean[] = [];
  let segmentStart = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '{') {
      const opener = code.slice(segmentStart, i);
      stack.push((stack.at(-1) ?? false) || opener.includes('ShouldProcess('));
      segmentStart = i + 1;
    } else if (ch === '}') {
      stack.pop();
      segmentStart = i + 1;
    }
    guarded.push(stack.at(-1) ?? false);
  }
  const unguarded: string[] = [];
  for (const match of code.matchAll(MUTATING)) {
    if (!guarded[match.index]) unguarded.push(code.slice(match.index, code.indexOf('\n', match.index)).trim());
  }
  return unguarded;
}

describe('Windows kiosk scripts (PowerShell)', () => {
  const scripts = ['Install-Kiosk.ps1', 'Uninstall-Kiosk.ps1'].map((name) => path.join(windowsDir, name));
  const pwsh = ['/usr/bin/pwsh', '/usr/local/bin/pwsh', '/opt/microsoft/powershell/7/pwsh'].find((candidate) => existsSync(candidate));

  it('parse without errors', (ctx) => {
    if (pwsh === undefined) ctx.skip('pwsh is not installed: the PowerShell scripts were not parsed or run here, only the structural checks below apply');
    for (const script of scripts) {
      const command = `$errors = $null; [System.Management.Automation.Language.Parser]::ParseFile('${script.replace(/'/g, "''")}', [ref]$null, [ref]$errors) | Out-Null; $errors | ForEach-Object { $_.ToString() }; exit $errors.Count`;
      const result = spawnSync(pwsh ?? 'pwsh', ['-NoProfile', '-NonInteractive', '-Command', command], { encoding: 'utf8' });
      expect(result.stdout + result.stderr, script).toBe('');
      expect(result.status, script).toBe(0);
    }
  });

  for (const name of ['Install-Kiosk.ps1', 'Uninstall-Kiosk.ps1']) {
    it(`${name}: needs an administrator, is strict, supports -WhatIf and asks ShouldProcess before every change (static check; not run here)`, () => {
      const file = path.join(windowsDir, name);
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n')[0]).toBe('#Requires -RunAsAdministrator');
      const code = powershellCode(file);
      expect(code).toMatch(/\[CmdletBinding\(SupportsShouldProcess\)\]\s*param\(/);
      expect(code).toMatch(/^Set-StrictMode -Version Latest$/m);
      expect(code).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
      let braces = 0;
      for (const ch of code) braces += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      expect(braces).toBe(0);
      const changes = [...code.matchAll(MUTATING)];
      expect(changes.length).toBeGreaterThan(8);
      expect(unguardedChanges(code)).toEqual([]);
    });
  }

  it('the guard check itself finds an unguarded change', () => {
    expect(unguardedChanges("if ($x) {\n  Set-ItemProperty -Path a -Name b -Value 1\n}")).toHaveLength(1);
    expect(unguardedChanges("if ($PSCmdlet.ShouldProcess('a', 'b')) {\n  if ($y) { Set-ItemProperty -Path a }\n} else {\n  New-LocalUser x\n}")).toEqual(['New-LocalUser x']);
  });

  it('Install-Kiosk.ps1 sets up Shell Launcher, Keyboard Filter and the account as documented', () => {
    const code = powershellCode(path.join(windowsDir, 'Install-Kiosk.ps1'));
    expect(code).toContain("'Client-EmbeddedShellLauncher', 'Client-KeyboardFilter'");
    expect(code).toContain("Join-Path $env:ProgramFiles 'EPN Kiosk\\EPN Kiosk.exe'");
    expect(code).toMatch(/-MethodName SetCustomShell[\s\S]*?DefaultAction = \[int\]\$RestartShell/);
    expect(code).toMatch(/^\$RestartShell = 0$/m);
    for (const key of ["'Ctrl+Alt+Del'", "'Windows'", "'Alt+Tab'", "'Ctrl+Esc'", "'Shift+Ctrl+Esc'", "'LShift+LAlt+PrintScrn'"]) expect(code).toContain(key);
    expect(code).toContain("$BlockedCustomKeys = @('LWin', 'RWin')");
    expect(code).toContain("Set-KeyboardFilterSetting 'DisableKeyboardFilterForAdministrators' 'true'");
    expect(code).toContain("Set-KeyboardFilterSetting 'ForceOffAccessibility' 'true'");
    for (const policy of ['DisableLockWorkstation', 'DisableChangePassword', 'DisableTaskMgr', 'NoLogoff', 'HideFastUserSwitching']) expect(code).toContain(`'${policy}'`);
  });

  it('Uninstall-Kiosk.ps1 unblocks exactly the keys Install-Kiosk.ps1 blocks', () => {
    const keyList = (file: string): string => {
      const match = /\$BlockedPredefinedKeys = @\(([\s\S]*?)\)\n/.exec(powershellCode(path.join(windowsDir, file)));
      return (match?.[1] ?? '').replace(/\s+/g, ' ').trim();
    };
    expect(keyList('Install-Kiosk.ps1')).not.toBe('');
    expect(keyList('Uninstall-Kiosk.ps1')).toBe(keyList('Install-Kiosk.ps1'));
  });
});
