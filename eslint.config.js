// Lint rules that hold the runtime boundaries of the guide (section 3):
// shared/ sees no Node, DOM or Electron; renderer/ imports only shared/ and locales/;
// only electron/shell/ imports 'electron'; raw ipcMain/ipcRenderer only in the contract binding.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
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

const dynamicElectronImport = { selector: "ImportExpression[source.value='electron']", message: noElectron.message };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.native/**', 'release/**', 'test-results/**', 'playwright-report/**', '.test-output/**', 'tests/fixtures/lint/**'] },
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
