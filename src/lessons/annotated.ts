/**
 * Programs that report their Python lines. A lesson's TypeScript program mirrors, statement for
 * statement, the Python source the lesson displays; `yield at(n)` before each statement says
 * which line of that source it is. The adapter turns those marks into the `lines` a thread
 * step reports, so the trace gets real `line` events — the same events the Python runtime will
 * record when lessons run their Python directly. Each statement costs LINE_US of virtual CPU.
 *
 * Pure: generators and plain data, like src/sim/api/pysocket.ts. No DOM, no clock.
 */
import { Py, PyException } from '../sim/api/pysocket.ts';
import type { ProgramSpec } from '../sim/scenario.ts';
import type { Syscall, ThreadBody, ThreadStep, StepLines } from '../sim/os/syscall.ts';

/** Virtual CPU time of one Python statement, µs. */
export const LINE_US = 1;

export interface LineMark {
  readonly line: number;
}

export type AnnotatedGen = Generator<Syscall | LineMark, void, unknown>;
/** A program given the socket module and `at(line)`, which marks the Python line about to run. */
export type AnnotatedProgram = (py: Py, at: (line: number) => LineMark) => AnnotatedGen;

const at = (line: number): LineMark => ({ line });

function isMark(x: Syscall | LineMark): x is LineMark {
  return 'line' in x && !('fn' in x);
}

/** A thread body running an annotated program; `source` is used for tracebacks. */
export function annotatedBody(program: AnnotatedProgram, file: string, source: string): ThreadBody {
  let gen: AnnotatedGen | undefined;
  let lastLine = 0;
  const srcLines = source.split('\n');
  return {
    resume(input): ThreadStep {
      const lines: number[] = [];
      const step = (): IteratorResult<Syscall | LineMark, void> => {
        if (!gen) {
          gen = program(new Py(), at);
          return gen.next();
        }
        if (input && 'error' in input) {
          const err = input.error;
          input = undefined;
          return gen.throw(new PyException(err));
        }
        const v = input?.value;
        input = undefined;
        return gen.next(v);
      };
      const report = (): { lines?: StepLines[]; cpu?: number } =>
        lines.length === 0 ? {} : { lines: [{ file, lines, at: lines.map((_, i) => i * LINE_US) }], cpu: lines.length * LINE_US };
      try {
        let r = step();
        while (!r.done && isMark(r.value)) {
          lines.push(r.value.line);
          lastLine = r.value.line;
          r = gen!.next();
        }
        if (r.done) return { kind: 'exit', status: 0, ...report() };
        return { kind: 'syscall', call: r.value as Syscall, ...report() };
      } catch (e) {
        if (e instanceof PyException) {
          const text = srcLines[lastLine - 1]?.trim() ?? '';
          return {
            kind: 'exit',
            status: 1,
            traceback: `Traceback (most recent call last):\n  File "${file}", line ${lastLine}, in <module>\n    ${text}\n${e.message}\n`,
            ...report(),
          };
        }
        throw e;
      }
    },
  };
}

/** A scenario program spec for an annotated program. */
export function annotated(spec: Omit<ProgramSpec, 'program' | 'kind'> & { program: AnnotatedProgram; source: string }): ProgramSpec {
  const { program, source, ...rest } = spec;
  return { ...rest, kind: 'body', program: () => annotatedBody(program, rest.file, source) };
}
