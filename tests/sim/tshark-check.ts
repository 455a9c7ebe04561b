/**
 * Wireshark's opinion of a pcap: runs tshark with checksum validation on and returns, per frame,
 * whether it is malformed and which expert messages it raised. Used by the codec and scenario tests.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Verdict {
  frame: number;
  malformed: boolean;
  messages: string[];
  severities: number[];
}

/** Wireshark's PI_ERROR severity; PI_WARN (0x600000) covers e.g. "Connection reset (RST)". */
export const PI_ERROR = 0x800000;
export const BAD = /checksum|malformed|exceeds|invalid|bogus|incorrect/i;

export function requireTshark(): void {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(
      'tshark is not installed, and the wire tests need it to check our frames against Wireshark. ' +
        'Run `.ci/run` (it installs it), or `apt-get install tshark`.',
    );
}

/** tshark's verdict on each frame of `pcap`. */
export function tsharkVerdicts(pcap: Uint8Array): Verdict[] {
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-tshark-'));
  try {
    const file = join(dir, 'capture.pcap');
    writeFileSync(file, pcap);
    const out = execFileSync(
      'tshark',
      [
        '-r', file,
        '-o', 'ip.check_checksum:TRUE',
        '-o', 'tcp.check_checksum:TRUE',
        '-o', 'udp.check_checksum:TRUE',
        '-T', 'fields',
        '-E', 'separator=/t',
        '-e', 'frame.number',
        '-e', '_ws.malformed',
        '-e', '_ws.expert.message',
        '-e', '_ws.expert.severity',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((line) => {
        const [frame = '', malformed = '', messages = '', severities = ''] = line.split('\t');
        return {
          frame: Number(frame),
          malformed: malformed !== '',
          messages: messages === '' ? [] : messages.split(','),
          severities: severities === '' ? [] : severities.split(',').map(Number),
        };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Frames tshark considers malformed, wrong-checksummed or in error, described. */
export function problems(verdicts: Verdict[], name: (frame: number) => string = (n) => `frame ${n}`): string[] {
  return verdicts
    .filter((v) => v.malformed || v.severities.some((s) => s >= PI_ERROR) || v.messages.some((m) => BAD.test(m)))
    .map((v) => `${name(v.frame)}: ${v.malformed ? 'malformed; ' : ''}${v.messages.join('; ')}`);
}
