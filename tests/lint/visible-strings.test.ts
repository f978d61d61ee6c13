/**
 * Every string a person reads lives in locales/: eslint-plugin-i18next's no-literal-string,
 * configured in eslint.config.js for renderer/**\/*.tsx, with a no-restricted-syntax selector
 * for the attributes people hear that the plugin does not check on HTML elements. The fixtures of tests/lint/fixtures/
 * are linted with the repository's own configuration as if they were renderer files
 * (the folder itself is ignored by `npm run lint`: some fixtures break the rule on purpose).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(repositoryRoot, 'tests', 'lint', 'fixtures');
const RULE = 'i18next/no-literal-string';

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repositoryRoot });
});

interface Finding {
  readonly ruleId: string | null;
  readonly severity: number;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Lints a fixture as if it were `renderer/<where>/<fixture name>`. */
async function lintFixtureAt(fixture: string, where = 'screens'): Promise<Finding[]> {
  const code = readFileSync(path.join(fixturesDir, fixture), 'utf8');
  const [result] = await eslint.lintText(code, { filePath: path.join(repositoryRoot, 'renderer', where, fixture) });
  if (result === undefined) throw new Error(`ESLint gave no result for ${fixture}`);
  return result.messages.map(({ ruleId, severity, line, column, message }) => ({ ruleId, severity, line, column, message }));
}

async function lintAt(relativePath: string, code: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repositoryRoot, relativePath) });
  if (result === undefined) throw new Error(`ESLint gave no result for ${relativePath}`);
  return result.messages.map(({ ruleId, severity, line, column, message }) => ({ ruleId, severity, line, column, message }));
}

const component = (jsx: string) => `import { useTranslation } from 'react-i18next';\n\nexport function Probe({ count }: { readonly count: number }) {\n  const { t } = useTranslation();\n  return ${jsx};\n}\n`;

describe('hard-coded visible strings in renderer components', () => {
  it('refuses a visible sentence written in the component, as an error', async () => {
    const findings = await lintFixtureAt('hard-coded-text.tsx');
    expect(findings).toEqual([expect.objectContaining({ ruleId: RULE, severity: 2, line: 3 })]);
    expect(findings[0]?.message).toContain('The kiosk is closed today.');
  });

  it('accepts the same sentence read with t()', async () => {
    expect(await lintFixtureAt('translated-text.tsx')).toEqual([]);
  });

  it('refuses an aria-label written in the component', async () => {
    const findings = await lintFixtureAt('aria-label-literal.tsx');
    expect(findings).toEqual([expect.objectContaining({ ruleId: RULE, severity: 2, line: 7 })]);
    expect(findings[0]?.message).toContain('aria-label="Close the window"');
  });

  it('accepts what no one reads: class names, test ids, option ids, autocomplete values, separators, numbers, configuration values', async () => {
    expect(await lintFixtureAt('not-visible-strings.tsx')).toEqual([]);
  });

  it('holds in every folder of the renderer: staff, statistics, dashboard', async () => {
    for (const where of ['staff', 'staff/tiles', 'statistics', 'dashboard/components']) {
      expect((await lintFixtureAt('hard-coded-text.tsx', where)).map((finding) => finding.ruleId)).toEqual([RULE]);
    }
  });

  it.each([
    ['a string between tags', `<p>{'Saved'}</p>`],
    ['both sides of a condition', `<p>{count > 1 ? 'Many' : 'One'}</p>`],
    ['a title', `<span title="More about this">{t('x')}</span>`],
    ['an alt text', `<img src="a.png" alt="Kiosk photo" />`],
    ['a placeholder', `<input placeholder="Type here" aria-label={t('x')} />`],
    ['a label given to a component', `<Field label="Kiosk name" />`],
    ['an aria-description', `<p aria-description="Read this first">{t('x')}</p>`],
    ['an aria-roledescription', `<div role="group" aria-roledescription="slide">{t('x')}</div>`],
    ['an aria-valuetext', `<div role="slider" aria-valuenow={count} aria-valuetext={'Big text'}>{t('x')}</div>`],
    ['an option label', `<select aria-label={t('x')}><option value="fr" label="French" /></select>`],
    ['a template literal read aloud', '<button type="button" aria-label={`Tile ${count}`}>{count}</button>'],
    ['a word in capitals', '<p>PIN</p>'],
    ['a single plain word', '<p>offline</p>'],
  ])('refuses %s, once', async (_what, jsx) => {
    const findings = await lintAt('renderer/staff/probe.tsx', component(jsx));
    const reported = findings.filter((finding) => finding.ruleId === RULE || finding.ruleId === 'no-restricted-syntax');
    expect(reported.length).toBeGreaterThan(0);
    // Never twice for the same string (once by the plugin, once by the selector).
    const places = reported.map((finding) => `${finding.line}:${finding.column}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it.each([
    ['a class name with a space', `<p className="notice notice--big">{t('x')}</p>`],
    ['a test id', `<p data-testid="notice box">{t('x')}</p>`],
    ['a role and a language', `<p role="status" lang="nl" dir="ltr">{t('x')}</p>`],
    ['punctuation and numbers', '<p>{count} · 2 / 3 — 50 %</p>'],
    ['an inline style value', `<p style={{ width: '50%' }}>{t('x')}</p>`],
    ['a comparison', `<p>{String(count) === 'many' ? t('a') : t('b')}</p>`],
    ['an aria-valuetext from t()', `<div role="slider" aria-valuenow={count} aria-valuetext={t('x', { count })}>{count}</div>`],
  ])('accepts %s', async (_what, jsx) => {
    const findings = await lintAt('renderer/staff/probe.tsx', component(jsx));
    expect(findings.filter((finding) => finding.ruleId === RULE || finding.ruleId === 'no-restricted-syntax')).toEqual([]);
  });

  it('applies to .tsx files of renderer/ only', async () => {
    expect((await eslint.calculateConfigForFile(path.join(repositoryRoot, 'renderer/staff/PinPad.tsx'))).rules?.[RULE]?.[0]).toBe(2);
    expect((await eslint.calculateConfigForFile(path.join(repositoryRoot, 'renderer/dashboard/components/HelpQueue.tsx'))).rules?.[RULE]?.[0]).toBe(2);
    expect((await eslint.calculateConfigForFile(path.join(repositoryRoot, 'electron/services/usage-log.ts'))).rules?.[RULE]).toBeUndefined();
  });

  it('the fixtures are kept out of `npm run lint` (some break the rule on purpose)', async () => {
    expect(await eslint.isPathIgnored(path.join(fixturesDir, 'hard-coded-text.tsx'))).toBe(true);
  });
});
