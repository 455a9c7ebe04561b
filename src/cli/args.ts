/**
 * Command-line parsing for `wirescope`. Pure: takes argv, returns options or a usage error.
 */
export interface RunArgs {
  command: 'run';
  scenario: string;
  pcap?: string;
  trace?: string;
  seed?: number;
  /** Stop the simulation at this virtual time, in seconds. */
  until?: number;
  /** Python scenarios: statements a program may run before it is stopped. */
  stepBudget?: number;
}

export type Parsed = RunArgs | { command: 'list' } | { command: 'help' } | { command: 'error'; message: string };

export const USAGE = `Usage:
  wirescope run <scenario> [--pcap FILE] [--trace FILE] [--seed N] [--until SECONDS] [--step-budget N]
  wirescope list

<scenario> is a built-in scenario id (see \`wirescope list\`) or a scenario .json file
(docs/scenario.md) whose Python programs run on the simulated network.
  --pcap FILE       write the frames on the wire as a pcap file (Wireshark, tshark)
  --trace FILE      write the full trace as JSON (docs/trace.md)
  --seed N          seed for the run (default: the scenario's own)
  --until SECONDS   stop the simulation at this virtual time
  --step-budget N   Python statements a program may run before it is stopped (default 50000000)

Exit status: 0 when every program ended normally, 1 when one raised an uncaught exception,
exited with a non-zero status or hit the step budget, 2 for bad input.`;

export function parseArgs(argv: readonly string[]): Parsed {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') return { command: 'help' };
  if (cmd === 'list') return { command: 'list' };
  if (cmd !== 'run') return { command: 'error', message: `unknown command "${cmd}"` };
  const out: RunArgs = { command: 'run', scenario: '' };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string | undefined => {
      const v = rest[++i];
      return v === undefined || v.startsWith('--') ? undefined : v;
    };
    if (a === '--pcap' || a === '--trace') {
      const v = value();
      if (!v) return { command: 'error', message: `${a} needs a file name` };
      if (a === '--pcap') out.pcap = v;
      else out.trace = v;
    } else if (a === '--seed') {
      const v = value();
      const n = v === undefined ? NaN : Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return { command: 'error', message: `--seed needs an integer from 0 to 4294967295, got ${v ?? 'nothing'}` };
      out.seed = n;
    } else if (a === '--step-budget') {
      const v = value();
      const n = v === undefined ? NaN : Number(v.replace(/_/g, ''));
      if (!Number.isSafeInteger(n) || n < 1) return { command: 'error', message: `--step-budget needs a whole number of statements ≥ 1, got ${v ?? 'nothing'}` };
      out.stepBudget = n;
    } else if (a === '--until') {
      const v = value();
      const n = v === undefined ? NaN : Number(v);
      if (!(n > 0)) return { command: 'error', message: `--until needs a positive number of seconds, got ${v ?? 'nothing'}` };
      out.until = n;
    } else if (a.startsWith('--')) {
      return { command: 'error', message: `unknown option ${a}` };
    } else if (!out.scenario) {
      out.scenario = a;
    } else {
      return { command: 'error', message: `unexpected argument "${a}"` };
    }
  }
  if (!out.scenario) return { command: 'error', message: 'run needs a scenario (an id from `wirescope list`, or a .json file)' };
  return out;
}
