/**
 * Share links: the whole sandbox in the URL, `#/sandbox?s=<code>`, where
 *
 *   code = "1" "." <crc32 of the JSON, 8 hex digits> "." <base64url(deflate-raw(JSON))>
 *
 * and JSON is the sandbox's scenario file (src/view/sandbox/model/doc.ts). The checksum makes a
 * truncated or altered link fail loudly instead of opening half a program. Compression uses
 * the platform's CompressionStream (browsers, Node ≥ 18), so it is asynchronous.
 *
 * Pure apart from that stream: strings in, data out. Never throws: every failure is a problem
 * the caller can show.
 */
import { docToScenario, scenarioToDoc, type SandboxDoc } from './doc.ts';

export const SHARE_VERSION = '1';

export type ShareProblem =
  | { kind: 'empty' }
  /** A version this build cannot read. */
  | { kind: 'version'; version: string }
  /** Not of the form version.checksum.data, or characters outside base64url. */
  | { kind: 'malformed' }
  /** The data does not decompress or does not match its checksum: the link was cut short or altered. */
  | { kind: 'truncated' }
  /** It decodes, but is not a sandbox. */
  | { kind: 'not-sandbox'; detail: string };

export type ReadShare = { ok: true; doc: SandboxDoc } | { ok: false; problem: ShareProblem };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib and PNG). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of a base64url string, or null if it is not one. */
export function fromBase64Url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The share code of a sandbox (the part after `s=`). */
export async function encodeShare(doc: SandboxDoc): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(docToScenario(doc)));
  const packed = await pipe(json, new CompressionStream('deflate-raw'));
  return `${SHARE_VERSION}.${crc32(json).toString(16).padStart(8, '0')}.${toBase64Url(packed)}`;
}

export async function decodeShare(code: string): Promise<ReadShare> {
  const text = code.trim();
  if (!text) return { ok: false, problem: { kind: 'empty' } };
  const parts = text.split('.');
  if (parts[0] !== SHARE_VERSION) return { ok: false, problem: /^\d+$/.test(parts[0]!) && parts.length === 3 ? { kind: 'version', version: parts[0]! } : { kind: 'malformed' } };
  if (parts.length > 3) return { ok: false, problem: { kind: 'malformed' } };
  const [, crc = '', b64 = ''] = parts;
  if (!/^[0-9a-f]{0,8}$/.test(crc) || !/^[A-Za-z0-9_-]*$/.test(b64)) return { ok: false, problem: { kind: 'malformed' } };
  // Cut inside the checksum, before the data, or one character into a 4-character group.
  if (crc.length < 8 || b64 === '' || b64.length % 4 === 1) return { ok: false, problem: { kind: 'truncated' } };
  const packed = fromBase64Url(b64);
  if (!packed) return { ok: false, problem: { kind: 'malformed' } };
  let json: Uint8Array;
  try {
    json = await pipe(packed, new DecompressionStream('deflate-raw'));
  } catch {
    return { ok: false, problem: { kind: 'truncated' } };
  }
  if (crc32(json).toString(16).padStart(8, '0') !== crc) return { ok: false, problem: { kind: 'truncated' } };
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    return { ok: false, problem: { kind: 'not-sandbox', detail: e instanceof Error ? e.message : String(e) } };
  }
  const r = scenarioToDoc(data);
  return r.ok ? { ok: true, doc: r.doc } : { ok: false, problem: { kind: 'not-sandbox', detail: r.problem } };
}
