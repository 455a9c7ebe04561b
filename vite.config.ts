import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { pyodidePlugin } from './src/python/vite-plugin-pyodide.ts';

export default defineConfig({
  // Relative base: the built site works from any static host and any sub-path.
  base: './',
  plugins: [svelte(), pyodidePlugin()],
  server: { port: 5173, strictPort: false },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
