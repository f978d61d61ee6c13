/**
 * axe-core on a screen as it stands, through @axe-core/playwright: WCAG 2.2 A and AA on
 * every screen, and the enhanced contrast (7:1, level AAA) on the visitor screens.
 *
 * Each check writes its summary to test-results/axe/<name>.json; with
 * UPDATE_REFERENCE=1 it also writes tests/reference/axe/<name>.json, the committed record
 * of each screen's result (tests/reference/README.md). A violation fails the test with
 * the rule, the elements and axe's own explanation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { AxeResults, Result } from 'axe-core';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const AXE_REFERENCE_DIR = join(repositoryRoot, 'tests', 'reference', 'axe');
const AXE_RESULTS_DIR = join(repositoryRoot, 'test-results', 'axe');

/** WCAG 2.0, 2.1 and 2.2, levels A and AA: the target on every screen. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export type ScreenAudience = 'visitor' | 'staff';

/**
 * Languages whose text axe cannot measure for contrast: its icon-ligature heuristic
 * (isIconLigature) takes joined Arabic letters for an icon font's ligatures and, once it
 * has done so a few times for a font, skips every text in that font, so the contrast rules
 * come out "inapplicable". These screens use the same colours as the French ones, where the
 * contrast is measured; on them a contrast rule that did not run is not a failure.
 */
export const CONTRAST_UNMEASURED_LANGUAGES: readonly string[] = ['ar'];

export interface AxeSummary {
  readonly screen: string;
  readonly audience: ScreenAudience;
  readonly axeVersion: string;
  readonly tags: readonly string[];
  /** Rules run beyond the tags: the 7:1 contrast on visitor screens. */
  readonly extraRules: readonly string[];
  readonly url: string;
  readonly viewport: { readonly width: number; readonly height: number } | null;
  readonly language: string | null;
  readonly direction: string | null;
  readonly passedRules: readonly string[];
  readonly violations: readonly { readonly rule: string; readonly impact: string | null; readonly targets: readonly string[]; readonly summary: string }[];
  /** False where axe cannot measure the text's contrast (CONTRAST_UNMEASURED_LANGUAGES). */
  readonly contrastMeasured: boolean;
  /** What axe could not decide alone (for example contrast over an image): listed for a human to look at. */
  readonly needsReview: readonly { readonly rule: string; readonly targets: readonly string[] }[];
}

function targetsOf(result: Result): string[] {
  return result.nodes.map((node) => node.target.map(String).join(' '));
}

function summarize(screen: string, audience: ScreenAudience, results: AxeResults, extraRules: readonly string[], page: Page, language: string | null, direction: string | null): AxeSummary {
  return {
    screen,
    audience,
    axeVersion: results.testEngine.version,
    tags: [...WCAG_AA_TAGS],
    extraRules,
    url: new URL(results.url).pathname + new URL(results.url).hash,
    viewport: page.viewportSize(),
    language,
    direction,
    passedRules: results.passes.map((rule) => rule.id).sort(),
    violations: results.violations.map((rule) => ({
      rule: rule.id,
      impact: rule.impact ?? null,
      targets: targetsOf(rule),
      summary: rule.nodes.map((node) => node.failureSummary ?? '').filter((text) => text !== '').join('\n'),
    })),
    contrastMeasured: !CONTRAST_UNMEASURED_LANGUAGES.includes(language ?? ''),
    needsReview: results.incomplete.map((rule) => ({ rule: rule.id, targets: targetsOf(rule) })),
  };
}

function describeViolations(summary: AxeSummary): string {
  return summary.violations.map((violation) => `${violation.rule} (${violation.impact ?? 'no impact given'}) on ${violation.targets.join(', ')}\n${violation.summary}`).join('\n\n');
}

/**
 * Runs axe on the page as it is now and fails on any violation. `screen` names the
 * screen and state ("launcher", "idle-warning", "staff-pin-pad"): it is the file name of
 * the summary, so each name is used once across the suites.
 */
export async function expectNoAxeViolations(page: Page, screen: string, audience: ScreenAudience): Promise<AxeSummary> {
  if (!/^[a-z0-9-]+$/.test(screen)) throw new Error(`screen name "${screen}": use lower-case letters, digits and hyphens only`);
  const extraRules = audience === 'visitor' ? ['color-contrast-enhanced'] : [];
  const builder = new AxeBuilder({ page }).withTags([...WCAG_AA_TAGS]);
  // Listed rules run in addition to the tagged ones (axe's runOnly takes tags or rules, not both).
  if (extraRules.length > 0) builder.options({ runOnly: { type: 'tag', values: [...WCAG_AA_TAGS] }, rules: Object.fromEntries(extraRules.map((rule) => [rule, { enabled: true }])) });
  const results = await builder.analyze();
  const [language, direction] = await page.evaluate(() => [document.documentElement.lang || null, document.documentElement.dir || null] as const);
  const summary = summarize(screen, audience, results, extraRules, page, language, direction);

  const text = `${JSON.stringify(summary, null, 2)}\n`;
  mkdirSync(AXE_RESULTS_DIR, { recursive: true });
  writeFileSync(join(AXE_RESULTS_DIR, `${screen}.json`), text);
  if (process.env.UPDATE_REFERENCE === '1') {
    mkdirSync(AXE_REFERENCE_DIR, { recursive: true });
    writeFileSync(join(AXE_REFERENCE_DIR, `${screen}.json`), text);
  }
  expect(summary.violations, `axe found violations on "${screen}":\n${describeViolations(summary)}`).toEqual([]);
  if (extraRules.length > 0 && summary.contrastMeasured) expect(summary.passedRules.concat(summary.needsReview.map((rule) => rule.rule)), `"${screen}": the 7:1 contrast rule did not run`).toContain('color-contrast-enhanced');
  return summary;
}
