/**
 * `wirescope` command line (Node only): run a scenario headless, print what its programs print,
 * optionally write the pcap and the trace.
 */
import { writeFileSync } from 'node:fs';
import { BUILTIN_SCENARIOS, builtinScenario } from '../scenarios/builtin.ts';
import { runScenario } from '../sim/scenario.ts';
import { traceToJson, traceToPcap } from '../sim/trace-export.ts';
import { USAGE, parseArgs } from './args.ts';
import { exitStatus, programOutput } from './output.ts';

export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      out(USAGE + '\n');
      return 0;
    case 'list':
      for (const s of BUILTIN_SCENARIOS) out(`${s.id}\n`);
      return 0;
    case 'error':
      err(`wirescope: ${args.message}\n\n${USAGE}\n`);
      return 2;
    case 'run': {
      const scenario = builtinScenario(args.scenario);
      if (!scenario) {
        err(`wirescope: no built-in scenario "${args.scenario}" (try \`wirescope list\`)\n`);
        return 2;
      }
      const { trace } = runScenario(scenario, {
        ...(args.seed !== undefined ? { seed: args.seed } : {}),
        ...(args.until !== undefined ? { until: Math.round(args.until * 1e6) } : {}),
      });
      for (const line of programOutput(trace)) out(line + '\n');
      try {
        if (args.pcap) writeFileSync(args.pcap, traceToPcap(trace));
        if (args.trace) writeFileSync(args.trace, traceToJson(trace));
      } catch (e) {
        err(`wirescope: cannot write output: ${(e as Error).message}\n`);
        return 2;
      }
      return exitStatus(trace);
    }
  }
}
