/**
 * The Electron fuses of the packaged kiosk (electron-builder.yml's `electronFuses`).
 *
 * The configuration is always checked. Where a packaged binary exists (after `npm run dist`
 * on a machine with internet access: release/linux-unpacked/epn-kiosk, or the file named by
 * EPN_PACKAGED_BINARY, for example "release/win-unpacked/EPN Kiosk.exe"), the fuses are also
 * read back from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getCurrentFuseWire } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, REQUIRED_FUSES, fuseProblems, readBuilderConfig } from './packaging-config';

describe('electron-builder.yml: fuses', () => {
  const config = readBuilderConfig();

  it('sets every fuse the kiosk needs, each to the safe value', () => {
    expect(fuseProblems(config)).toEqual([]);
  });

  it('names only fuses electron-builder knows (a misspelt key would be ignored silently)', () => {
    const schema = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    expect(Object.keys(config.electronFuses as object).filter((key) => !known.includes(key))).toEqual([]);
  });

  it('fails when a fuse is missing or wrong', () => {
    const fuses = { ...(config.electronFuses as Record<string, unknown>) };
    delete fuses.runAsNode;
    fuses.onlyLoadAppFromAsar = false;
    expect(fuseProblems({ ...config, electronFuses: fuses })).toEqual([
      expect.stringMatching(/^electronFuses\.runAsNode is missing: it must be false/),
      expect.stringMatching(/^electronFuses\.onlyLoadAppFromAsar is false: it must be true/),
    ]);
    expect(fuseProblems({ ...config, electronFuses: null })).toEqual([expect.stringMatching(/^electronFuses is missing/)]);
  });
});

/** A fuse's state on the wire: the characters '1' and '0' (@electron/fuses' FuseState, which its index does not export). */
const FUSE_ENABLED = '1'.charCodeAt(0);
const FUSE_DISABLED = '0'.charCodeAt(0);

const chosenBinary = process.env.EPN_PACKAGED_BINARY;
const packagedBinary = chosenBinary !== undefined && chosenBinary !== '' ? path.resolve(PROJECT_ROOT, chosenBinary) : path.join(PROJECT_ROOT, 'release', 'linux-unpacked', 'epn-kiosk');
const binaryFound = existsSync(packagedBinary);
const binaryMissing = `no packaged Electron binary at ${path.relative(PROJECT_ROOT, packagedBinary)}: run \`npm run dist\` on a machine with internet access (or set EPN_PACKAGED_BINARY)`;

describe('the packaged binary: fuses read back', () => {
  it.skipIf(!binaryFound)(binaryFound ? `carries every fuse, read back from ${path.relative(PROJECT_ROOT, packagedBinary)}` : `skipped: ${binaryMissing}`, async () => {
    const wire = await getCurrentFuseWire(packagedBinary);
    const read = Object.fromEntries(REQUIRED_FUSES.map(({ key, fuse }) => [key, wire[fuse]]));
    const expected = Object.fromEntries(REQUIRED_FUSES.map(({ key, value }) => [key, value ? FUSE_ENABLED : FUSE_DISABLED]));
    expect(read).toEqual(expected);
  });
});
