// Turns the Python runtime's line buffer into `line` trace events for one step of a program:
// which of the program's own lines ran, and when. Every record (a statement or a function
// entry, of any file) costs `nsPerRecord` of virtual time; only statements of the program's
// own files are listed. A short stretch lists each line with its µs offset from the step's
// start; a long one (a hot loop) becomes one compacted run per file, so a loop that runs a
// million times makes a handful of events, not a million.
import type { StepLines } from '../sim/os/syscall.ts';
import { decodeLine } from './pyodide.ts';

/** Lines a step may list one by one before it is compacted into runs. */
export const LIST_MAX = 200;

interface FileRun {
  file: string;
  count: number;
  /** Statements executed, by line. */
  counts: Map<number, number>;
  last: number;
  /** ns from the step's start to the end of the file's last statement. */
  endNs: number;
}

export class LineRecorder {
  /** ns from the step's start to the start of the next record. */
  private ns = 0;
  private lines: number[] = [];
  private at: number[] = [];
  private files: string[] = [];
  private listed = 0;
  private runs = new Map<string, FileRun>();

  constructor(
    private readonly nsPerRecord: number,
    /** The display name of a file id if it is one of the program's own files, else undefined. */
    private readonly ownFile: (fileId: number) => string | undefined,
  ) {}

  /** Start a step whose first record begins `startNs` (< 1000: the sub-µs carry) after its start. */
  begin(startNs: number): void {
    this.ns = startNs;
    this.lines = [];
    this.at = [];
    this.files = [];
    this.listed = 0;
    this.runs.clear();
  }

  /** Account a batch of records; returns how many there were. */
  add(records: Int32Array): number {
    const cost = this.nsPerRecord;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (r >= 0) {
        const { fileId, line } = decodeLine(r);
        const file = this.ownFile(fileId);
        if (file !== undefined) {
          if (this.listed < LIST_MAX) {
            this.lines.push(line);
            this.at.push(Math.floor(this.ns / 1000));
            this.files.push(file);
          }
          this.listed++;
          let run = this.runs.get(file);
          if (!run) this.runs.set(file, (run = { file, count: 0, counts: new Map(), last: line, endNs: 0 }));
          run.count++;
          run.counts.set(line, (run.counts.get(line) ?? 0) + 1);
          run.last = line;
          run.endNs = this.ns + cost;
        }
      }
      this.ns += cost;
    }
    return records.length;
  }

  /** The step's line events (possibly none). */
  finish(): StepLines[] {
    const out: StepLines[] = [];
    if (this.listed === 0) return out;
    if (this.listed <= LIST_MAX) {
      let start = 0;
      for (let i = 1; i <= this.files.length; i++) {
        if (i === this.files.length || this.files[i] !== this.files[start]) {
          out.push({ file: this.files[start]!, lines: this.lines.slice(start, i), at: this.at.slice(start, i) });
          start = i;
        }
      }
    } else {
      for (const run of this.runs.values()) {
        const set = [...run.counts.keys()].sort((a, b) => a - b);
        // The line executed most often (the lowest of equals): where a loop spends its time.
        let top = set[0]!;
        for (const line of set) if (run.counts.get(line)! > run.counts.get(top)!) top = line;
        out.push({ file: run.file, run: { count: run.count, dur: Math.ceil(run.endNs / 1000), set, last: run.last, top } });
      }
    }
    return out;
  }
}
