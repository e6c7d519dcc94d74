import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noElectron = { name: 'electron', message: 'Only electron/main.ts, preload.ts and ipc.ts talk to Electron.' };
const noFeatures = {
  group: ['**/features', '**/features/**'],
  message: 'renderer/src/app/ and renderer/src/ui/ import no feature: features/shell/ composes them.',
};
const nodeBuiltins = {
  group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'https'],
  message: 'The renderer and shared/ run without Node.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.lab/**', 'scripts/**/*.mjs', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [nodeBuiltins] }],
    },
  },
  {
    files: ['renderer/src/app/**/*.{ts,tsx}', 'renderer/src/ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [nodeBuiltins, noFeatures] }] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron, 'react'], patterns: [nodeBuiltins] }] },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/ipc.ts', 'electron/preload.ts', 'electron/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
        {
          selector: 'Identifier[name=/^(ipcMain|ipcRenderer)$/]',
          message: 'Use the typed wrappers in electron/ipc.ts.',
        },
        {
          selector: "MemberExpression[property.name='send'][object.name='webContents']",
          message: 'Use the typed wrappers in electron/ipc.ts.',
        },
      ],
    },
  },
  {
    files: ['*.config.ts', '*.config.mts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
