// Wireshark's opinion of our encoders: one frame of each kind, written with writePcap, read by
// tshark with checksum validation on. No malformed packets, no bad checksums, no errors.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../../../src/sim/net/pcap.ts';
import { sampleFrames } from './sample-frames.ts';

const dir = mkdtempSync(join(tmpdir(), 'wirescope-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function requireTshark(): void {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(
      'tshark is not installed, and the wire tests need it to check our frames against Wireshark. ' +
        'Run `.ci/run` (it installs it), or `apt-get install tshark`.',
    );
}

interface Verdict {
  frame: number;
  malformed: boolean;
  messages: string[];
  severities: number[];
}

/** Runs tshark over the frames; returns one verdict per frame. */
function tshark(frames: Uint8Array[], name: string): Verdict[] {
  const file = join(dir, name);
  writeFileSync(file, writePcap(frames.map((bytes, i) => ({ t: 1_000_000 + i * 1000, bytes }))));
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
}

/** Wireshark's PI_ERROR severity; PI_WARN (0x600000) covers e.g. "Connection reset (RST)". */
const PI_ERROR = 0x800000;
const BAD = /checksum|malformed|exceeds|invalid|bogus|incorrect/i;

describe('tshark reads our frames', () => {
  const samples = sampleFrames();

  it('finds no malformed packet, bad checksum or error in any frame', () => {
    requireTshark();
    const verdicts = tshark(samples.map((s) => s.bytes), 'ours.pcap');
    expect(verdicts.map((v) => v.frame)).toEqual(samples.map((_, i) => i + 1));
    const problems = verdicts
      .filter((v) => v.malformed || v.severities.some((s) => s >= PI_ERROR) || v.messages.some((m) => BAD.test(m)))
      .map((v) => `${samples[v.frame - 1]!.name}: ${v.malformed ? 'malformed; ' : ''}${v.messages.join('; ')}`);
    expect(problems).toEqual([]);
  });

  it('does flag a frame whose checksums we break (so the check above can fail)', () => {
    requireTshark();
    const broken = samples
      .filter((s) => ['echo-request', 'syn', 'udp'].includes(s.name))
      .map((s) => {
        const b = s.bytes.slice();
        const ipEnd = 14 + ((b[16]! << 8) | b[17]!); // frames may be padded: stay inside the IP datagram
        b[ipEnd - 1] = b[ipEnd - 1]! ^ 0x01; // covered by the ICMP/TCP/UDP checksum
        return b;
      });
    const ipBroken = samples.find((s) => s.name === 'data')!.bytes.slice();
    ipBroken[22] = ipBroken[22]! ^ 0x01; // TTL, covered by the IP header checksum only
    const verdicts = tshark([...broken, ipBroken], 'broken.pcap');
    expect(verdicts).toHaveLength(4);
    for (const v of verdicts) expect(v.messages.join('; ')).toMatch(/Bad checksum/);
  });
});
