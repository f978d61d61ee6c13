/**
 * The deployment guide (docs/deployment.md and its translations) is what a staff member
 * follows with a screwdriver in one hand. These checks keep it honest as the project moves:
 * every language has the same sections, every link leads somewhere, and every command it
 * tells people to type names a script that exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const ENGLISH = 'deployment.md';
/** Languages the guide must exist in; others (deployment.nl.md, …) are checked when present. */
const REQUIRED = [ENGLISH, 'deployment.fr.md'];
const SCRIPT_EXTENSIONS = ['sh', 'ps1', 'psm1', 'cmd', 'bat'];

const guides = readdirSync(DOCS)
  .filter((name) => /^deployment(\.[a-z]{2})?\.md$/.test(name))
  .sort((a, b) => (a === ENGLISH ? -1 : b === ENGLISH ? 1 : a.localeCompare(b)));

function read(name: string): string {
  return readFileSync(join(DOCS, name), 'utf8');
}

/** The text outside fenced code blocks (where headings and links live). */
function prose(markdown: string): string {
  let fence: string | null = null;
  const kept: string[] = [];
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence === null) kept.push(line);
  }
  return kept.join('\n');
}

function headings(markdown: string, level: number): string[] {
  const prefix = `${'#'.repeat(level)} `;
  return prose(markdown)
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).trim());
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Targets of inline links and images, outside code, with `<…>` unwrapped and titles dropped. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1] ?? '');
}

function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

function npmScripts(markdown: string): string[] {
  return [...new Set([...markdown.matchAll(/\bnpm run ([A-Za-z0-9:_-]+)/g)].map((match) => match[1] ?? ''))].sort();
}

/** Paths under build/ that name a script, such as build/linux/install-kiosk.sh. */
function buildScriptPaths(markdown: string): string[] {
  const pattern = new RegExp(`(?<![\\w.-]|[\\w-][\\\\/])build[\\\\/][\\w./\\\\-]+\\.(?:${SCRIPT_EXTENSIONS.join('|')})\\b`, 'g');
  return [...new Set([...markdown.matchAll(pattern)].map((match) => match[0].replace(/\\/g, '/')))].sort();
}

/** Bare script names (Install-Kiosk.ps1, install-kiosk.sh), wherever they appear. */
function scriptNames(markdown: string): string[] {
  const pattern = new RegExp(`[\\w-]+\\.(?:${SCRIPT_EXTENSIONS.join('|')})\\b`, 'g');
  return [...new Set([...markdown.matchAll(pattern)].map((match) => match[0]))].sort();
}

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const packageScripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {});
const buildFileNames = new Set(filesUnder(join(ROOT, 'build')).map((path) => basename(path)));

describe('the deployment guide', () => {
  it.each(REQUIRED)('exists: docs/%s', (name) => {
    expect(existsSync(join(DOCS, name)), `docs/${name} is missing`).toBe(true);
  });

  it('has the same number of sections (## headings) in every language', () => {
    const reference = headings(read(ENGLISH), 2);
    expect(reference.length).toBeGreaterThan(5);
    for (const name of guides) {
      expect(headings(read(name), 2), `docs/${name} against docs/${ENGLISH}: ${reference.join(' | ')}`).toHaveLength(reference.length);
    }
  });

  describe.each(guides)('docs/%s', (name) => {
    const markdown = read(name);

    it('links only to files (and headings) that exist', () => {
      const broken: string[] = [];
      for (const target of linkTargets(markdown)) {
        if (isExternal(target)) continue;
        const [path = '', anchor] = target.split('#', 2);
        const file = path === '' ? join(DOCS, name) : resolve(DOCS, decodeURI(path));
        if (!existsSync(file)) {
          broken.push(`${target}: no file ${relative(ROOT, file)}`);
          continue;
        }
        if (anchor !== undefined && anchor !== '' && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) {
          broken.push(`${target}: no heading #${anchor} in ${relative(ROOT, file)}`);
        }
      }
      expect(broken).toEqual([]);
      expect(linkTargets(markdown).length).toBeGreaterThan(0);
    });

    it('mentions only npm scripts that package.json has', () => {
      const mentioned = npmScripts(markdown);
      expect(mentioned.length).toBeGreaterThan(0);
      expect(mentioned.filter((script) => !packageScripts.includes(script)), `scripts in package.json: ${packageScripts.join(', ')}`).toEqual([]);
    });

    it('mentions only build/ scripts that exist', () => {
      const paths = buildScriptPaths(markdown);
      expect(paths.length).toBeGreaterThan(0);
      expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
      expect(scriptNames(markdown).filter((script) => !buildFileNames.has(script)), 'script names not found anywhere under build/').toEqual([]);
    });

    it('names the same npm scripts and build scripts as the English guide', () => {
      const english = read(ENGLISH);
      expect(npmScripts(markdown)).toEqual(npmScripts(english));
      expect(buildScriptPaths(markdown)).toEqual(buildScriptPaths(english));
    });
  });
});

describe('the checks themselves', () => {
  it('ignore headings and links inside code blocks', () => {
    const sample = ['## One', '```sh', '## not a heading [x](missing.md)', '```', '[ok](staff.md)'].join('\n');
    expect(headings(sample, 2)).toEqual(['One']);
    expect(linkTargets(sample)).toEqual(['staff.md']);
  });

  it('make GitHub anchors', () => {
    expect(slug('5. TLS (HTTPS)')).toBe('5-tls-https');
    expect(slug('`help` — object, default: no channel')).toBe('help--object-default-no-channel');
    expect(slug('Mettre à jour')).toBe('mettre-à-jour');
    expect([...anchors('## A\n## A\n')]).toEqual(['a', 'a-1']);
  });

  it('find build scripts and npm scripts in commands', () => {
    const sample = 'sudo ./build/linux/install-kiosk.sh --dry-run; /opt/x/build/y.sh; .\\build\\windows\\Install-Kiosk.ps1 -WhatIf; npm run dist && npm run hub -- --listen eth0';
    expect(buildScriptPaths(sample)).toEqual(['build/linux/install-kiosk.sh', 'build/windows/Install-Kiosk.ps1']);
    expect(scriptNames(sample)).toEqual(['Install-Kiosk.ps1', 'install-kiosk.sh', 'y.sh']);
    expect(npmScripts(sample)).toEqual(['dist', 'hub']);
  });
});
