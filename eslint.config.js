// Lantern's layer rules (README, "Layout"), enforced here rather than hoped for: which packages
// each folder may import (no-restricted-imports below) and which folders (lantern/layers).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layers from './eslint-rules/layers.js';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https', 'net', 'crypto', 'url', 'stream', 'events', 'util'];
const platformOnly = (message) => ({
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message })),
    { name: 'electron', message },
    { name: 'better-sqlite3', message },
    { name: 'fastify', message },
  ],
  patterns: [{ group: ['node:*'], message }],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', 'test-results/', 'playwright-report/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // `any` must say why, so it is an error unless a disable comment explains it.
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Folder layering: shared/ is the bottom, renderer/ and server/ sit on it, electron/ hosts the
    // core; server and electron meet only in tests (the desktop sync tests start a real backend).
    // e2e/ and bench/ drive everything. In the renderer, features/<a>/ imports no other feature:
    // what several need lives in ui/ (components), state/ (app-wide stores) or api/.
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { lantern: { rules: { layers } } },
    rules: {
      'lantern/layers': ['error', {
        layers: { shared: [], renderer: ['shared'], server: ['shared'], electron: ['shared'], e2e: ['*'], bench: ['*'] },
        testsMayAlso: { electron: ['server'], server: ['electron'] },
        features: 'renderer/src/features',
        shell: 'renderer/src',
        exceptions: [],
      }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Everything but electron/main and electron/preload is plain Node or browser code.
    // (shared/ and renderer/ below repeat this ban in their own, wider lists.)
    files: ['**/*.{ts,tsx,mjs}'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only electron/main and electron/preload import electron (README, Layout).' }],
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        ...platformOnly('shared/ is pure TypeScript: no Node, Electron, DOM, React or database imports (README, Layout).'),
        paths: [
          ...platformOnly('shared/ is pure TypeScript (README, Layout).').paths,
          { name: 'react', message: 'shared/ must not import React.' },
          { name: 'react-dom', message: 'shared/ must not import React.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', platformOnly('The renderer reaches data only through the contract (shared/contract).')],
    },
  },
);
