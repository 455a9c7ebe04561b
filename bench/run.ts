/**
 * `npm run bench`: every benchmark, printing figures (no assertions; targets are printed beside
 * the figures). Run with `npm run bench`; parts: `npx tsx bench/sim.ts`, `npx tsx bench/python.ts`.
 */
import { benchSim } from './sim.ts';

console.log('== simulation core');
benchSim();
