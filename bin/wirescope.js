#!/usr/bin/env node
// The wirescope command. The CLI is TypeScript (src/cli/); tsx compiles it on the fly so the
// repository needs no build step before `npx wirescope`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
