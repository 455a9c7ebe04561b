/** vitest config for tests/sim/trace-hash-setup.ts: the project's config plus the hashing setup file. */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vite.config.ts';

export default mergeConfig(base, defineConfig({ test: { setupFiles: ['tests/sim/trace-hash-setup.ts'] } }));
