/**
 * What the packaging tests read of electron-builder.yml, and the fuses the packaged
 * Electron binary must carry (issue 8, docs in build/README.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options } from '@electron/fuses';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILDER_CONFIG_FILE = path.join(PROJECT_ROOT, 'electron-builder.yml');

/** electron-builder.yml's `electronFuses` keys, the value each must have, and the fuse it sets in the binary. */
export const REQUIRED_FUSES = [
  { key: 'runAsNode', value: false, fuse: FuseV1Options.RunAsNode, why: 'ELECTRON_RUN_AS_NODE would turn the kiosk into a plain Node.js interpreter' },
  { key: 'enableNodeOptionsEnvironmentVariable', value: false, fuse: FuseV1Options.EnableNodeOptionsEnvironmentVariable, why: 'NODE_OPTIONS could inject code into the main process' },
  { key: 'enableNodeCliInspectArguments', value: false, fuse: FuseV1Options.EnableNodeCliInspectArguments, why: '--inspect would open a debugger on the main process' },
  { key: 'enableCookieEncryption', value: true, fuse: FuseV1Options.EnableCookieEncryption, why: 'cookies on disk are encrypted with the OS key store' },
  { key: 'enableEmbeddedAsarIntegrityValidation', value: true, fuse: FuseV1Options.EnableEmbeddedAsarIntegrityValidation, why: 'a modified app.asar is refused (Windows, macOS)' },
  { key: 'onlyLoadAppFromAsar', value: true, fuse: FuseV1Options.OnlyLoadAppFromAsar, why: 'no app/ folder beside app.asar is loaded instead' },
  { key: 'grantFileProtocolExtraPrivileges', value: false, fuse: FuseV1Options.GrantFileProtocolExtraPrivileges, why: 'file:// pages get no more than a browser gives them' },
] as const;

type YamlLoad = (text: string) => unknown;

/** electron-builder.yml as electron-builder reads it (js-yaml, which electron-builder itself depends on). */
export function readBuilderConfig(file = BUILDER_CONFIG_FILE): Record<string, unknown> {
  const { load } = createRequire(import.meta.url)('js-yaml') as { load: YamlLoad };
  const parsed = load(readFileSync(file, 'utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file} is not a YAML mapping`);
  return parsed as Record<string, unknown>;
}

/** What is wrong with a configuration's `electronFuses`: one line per fuse missing or wrong; empty when all is well. */
export function fuseProblems(config: Record<string, unknown>): string[] {
  const fuses = config.electronFuses;
  if (fuses === null || fuses === undefined || typeof fuses !== 'object' || Array.isArray(fuses)) {
    return ['electronFuses is missing: the packaged Electron binary would keep its development defaults'];
  }
  const given = fuses as Record<string, unknown>;
  return REQUIRED_FUSES.flatMap(({ key, value, why }) => {
    if (!(key in given)) return [`electronFuses.${key} is missing: it must be ${String(value)} (${why})`];
    if (given[key] !== value) return [`electronFuses.${key} is ${JSON.stringify(given[key])}: it must be ${String(value)} (${why})`];
    return [];
  });
}
