// Lint rules. The important one: src/sim/ and src/machines/ are pure and deterministic,
// so they may not reach the DOM, Svelte, wall clocks, timers or unseeded randomness.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const impure = [
  { name: 'Date', message: 'src/sim is deterministic: use virtual time (integer µs) from the kernel.' },
  { name: 'performance', message: 'src/sim is deterministic: use virtual time from the kernel.' },
  { name: 'setTimeout', message: 'src/sim is deterministic: schedule on the event queue.' },
  { name: 'setInterval', message: 'src/sim is deterministic: schedule on the event queue.' },
  { name: 'setImmediate', message: 'src/sim is deterministic: schedule on the event queue.' },
  { name: 'queueMicrotask', message: 'src/sim is deterministic: schedule on the event queue.' },
  { name: 'requestAnimationFrame', message: 'src/sim has no frames: the view maps wall time to sim time.' },
  { name: 'window', message: 'src/sim has no DOM.' },
  { name: 'document', message: 'src/sim has no DOM.' },
  { name: 'navigator', message: 'src/sim has no DOM.' },
  { name: 'localStorage', message: 'src/sim has no storage.' },
  { name: 'fetch', message: 'src/sim does no I/O.' },
  { name: 'crypto', message: 'src/sim randomness comes from the seeded generator passed in.' },
  { name: 'process', message: 'src/sim does not read the environment.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'public/pyodide/', 'coverage/', '**/*.py', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/sim/**/*.ts', 'src/machines/**/*.ts', 'src/scenarios/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', ...impure],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'src/sim uses the seeded generator passed in (src/sim/rng.ts).' },
        { object: 'Date', property: 'now', message: 'src/sim uses virtual time.' },
        { object: 'globalThis', message: 'src/sim may not reach globals.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'util'].map((name) => ({
            name,
            message: 'src/sim may not touch Node APIs.',
          })),
          patterns: [
            { group: ['svelte', 'svelte/*'], message: 'src/sim may not import Svelte.' },
            { group: ['**/view/**', '**/cli/**', '**/python/**'], message: 'src/sim may not import the view, CLI or Python bridge.' },
            { group: ['node:*'], message: 'src/sim may not touch Node APIs.' },
            { group: ['d3-selection', 'd3-transition', 'd3-timer'], message: 'src/sim may not use wall-clock or DOM parts of D3.' },
          ],
        },
      ],
    },
  },
);
