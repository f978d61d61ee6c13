// Lint rules that hold the runtime boundaries of the guide (section 3):
// shared/ sees no Node, DOM or Electron; renderer/ imports only shared/ and locales/;
// only electron/shell/ imports 'electron'; raw ipcMain/ipcRenderer only in the contract binding.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import i18next from 'eslint-plugin-i18next';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const nodeBuiltinPatterns = ['node:*'];

const noElectron = { name: 'electron', message: "Only electron/shell/ may import 'electron' (guide, section 3)." };
const nodeMessage = 'Node modules are out of reach in this folder (guide, section 3).';

/** Files allowed to touch ipcMain / ipcRenderer: the generated contract binding and nothing else. */
export const RAW_IPC_FILES = ['electron/shell/ipc-binding.ts', 'electron/shell/preload.ts'];

const rawIpcSyntax = [
  { selector: "Identifier[name='ipcMain']", message: 'Raw ipcMain is only allowed in electron/shell/ipc-binding.ts: add a channel to shared/contract.ts instead.' },
  { selector: "Identifier[name='ipcRenderer']", message: 'Raw ipcRenderer is only allowed in electron/shell/preload.ts: add a channel to shared/contract.ts instead.' },
];

/**
 * Every string a person reads lives in locales/ (guide, section 2.9). The rule looks at JSX only:
 * its text, the string expressions between its tags, and the attributes people read or hear
 * (aria-label, aria-description, aria-roledescription, aria-valuetext, title, alt, placeholder,
 * label). Other attributes (className, data-*, id, role, lang, dir, autoComplete, style…) are
 * never checked. Among the checked strings, two kinds pass, being what no one reads as text:
 * - digits, punctuation, symbols and spaces only ("·", " / ", "50 %", "—");
 * - code tokens: lower-case words joined by - _ . : or camelCase, with no space ('tiles-row--drop-before',
 *   'current-password', 'session.outOfOrderTitle', 'label-' in `label-${code}`): class names,
 *   autocomplete values, translation keys, id parts.
 * A single plain word is not a token ("offline", "PIN", "OK" are read): put option ids in a
 * constant outside JSX (`const FORMATS = ['csv', 'json'] as const`). Unlike the plugin's
 * defaults, words in capitals are not allowed. The kiosk's name and other configuration values
 * are expressions, not literals, so they never trip the rule.
 */
const VISIBLE_STRINGS = {
  mode: 'jsx-only',
  'jsx-attributes': { include: ['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'alt', 'placeholder', 'label'] },
  words: {
    exclude: [/^[\p{N}\p{P}\p{S}\s]+$/u, /^[-_.:]*[a-z][a-z0-9]*(?:(?:[-_.:]+|(?=[A-Z]))[a-zA-Z0-9]+)+[-_.:]*$|^[-_.:]+[a-z][a-z0-9]*[-_.:]*$|^[a-z][a-z0-9]*[-_.:]+$/],
  },
  // The plugin's defaults, plus i18next's getFixedT (a t() for one given language: the welcome screen's buttons).
  callees: {
    exclude: ['i18n(ext)?', 't', 'getFixedT(?:\\(.*\\))?', 'require', 'addEventListener', 'removeEventListener', 'postMessage', 'getElementById', 'dispatch', 'commit', 'includes', 'indexOf', 'endsWith', 'startsWith'],
  },
  'should-validate-template': true,
};

const dynamicElectronImport = { selector: "ImportExpression[source.value='electron']", message: noElectron.message };

/**
 * The plugin checks attributes of HTML elements only from its own short list (aria-label, alt,
 * placeholder, title, value): the other attributes people hear are held here, on HTML elements
 * (on components the plugin already checks them).
 */
const READ_ALOUD_ATTRIBUTES = 'aria-description|aria-roledescription|aria-valuetext|label';
const readAloudLiteral = [
  `JSXOpeningElement[name.name=/^[a-z]/] > JSXAttribute[name.name=/^(${READ_ALOUD_ATTRIBUTES})$/][value.type='Literal']`,
  `JSXOpeningElement[name.name=/^[a-z]/] > JSXAttribute[name.name=/^(${READ_ALOUD_ATTRIBUTES})$/] > JSXExpressionContainer > :matches(Literal, TemplateLiteral).expression`,
].map((selector) => ({ selector, message: 'A text people hear: take it from locales/ with t() (guide, section 2.9).' }));

export default tseslint.config(
  // tests/lint/fixtures/ holds components with hard-coded texts on purpose: tests/lint/visible-strings.test.ts lints them as renderer files.
  { ignores: ['dist/**', 'node_modules/**', '.native/**', 'release/**', 'test-results/**', 'playwright-report/**', '.test-output/**', 'tests/fixtures/lint/**', 'tests/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...rawIpcSyntax, dynamicElectronImport],
    },
  },
  {
    files: ['electron/shell/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...rawIpcSyntax] },
  },
  {
    files: RAW_IPC_FILES,
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: nodeMessage })), { name: 'react', message: 'shared/ holds no UI.' }],
          patterns: [
            { group: nodeBuiltinPatterns, message: nodeMessage },
            { group: ['**/electron/**', '**/renderer/**', '../electron', '../renderer'], message: 'shared/ may not import from electron/ or renderer/.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'fetch', 'process', 'Buffer', 'require', '__dirname', 'setTimeout', 'setInterval'].map((name) => ({
          name,
          message: 'shared/ is pure: no Node or DOM globals; inject what you need (a clock, a fetcher).',
        })),
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: nodeMessage }))],
          patterns: [
            { group: nodeBuiltinPatterns, message: nodeMessage },
            { group: ['**/electron/**', '../electron', '../../electron'], message: 'renderer/ talks to the main side only through window.kiosk (shared/contract.ts).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'The renderer has no Node.' }, { name: 'require', message: 'The renderer has no Node.' }],
    },
  },
  {
    files: ['renderer/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': ['error', VISIBLE_STRINGS],
      'no-restricted-syntax': ['error', ...rawIpcSyntax, dynamicElectronImport, ...readAloudLiteral],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/shell/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
