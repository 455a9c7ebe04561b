/**
 * `npm run bench`: every benchmark, printing figures (no assertions; targets are printed beside
 * the figures). Parts on their own: `npx tsx bench/sim.ts`, `bench/python.ts`, `bench/threads.ts`,
 * `bench/ui.ts` (the UI part builds the site and drives Debian's Chromium).
 */
import { benchSim } from './sim.ts';
import { benchPython, printPythonBench } from './python.ts';
import { benchThreads } from './threads.ts';
import { benchUi } from './ui.ts';

console.log('== simulation core');
benchSim();
console.log('\n== Python (Pyodide)');
printPythonBench(await benchPython());
console.log('\n== threads');
await benchThreads();
console.log('\n== lesson player (headless Chromium)');
await benchUi();
