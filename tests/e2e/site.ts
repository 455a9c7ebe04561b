/**
 * The built site for browser tests, screenshots and benchmarks: `vite build` into tmp/e2e-site
 * once per source state (several test files share it; a lock directory keeps two builds from
 * racing), served by a tiny static HTTP server on a free port.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'tmp/e2e-site');
const LOCK = join(ROOT, 'tmp/e2e-site.lock');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'svelte.config.js', 'package-lock.json'];

function hashInputs(): string {
  const h = createHash('sha256');
  const walk = (p: string): void => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      if (p.endsWith('/pyodide')) return;
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else {
      h.update(p.slice(ROOT.length));
      h.update(readFileSync(p));
    }
  };
  for (const i of INPUTS) walk(join(ROOT, i));
  return h.digest('hex').slice(0, 16);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Builds the site unless an up-to-date build is there; returns its directory. */
export async function buildSite(): Promise<string> {
  const stamp = join(OUT, '.stamp');
  const want = hashInputs();
  for (let waited = 0; ; waited += 200) {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return OUT;
    try {
      mkdirSync(join(ROOT, 'tmp'), { recursive: true }); // a fresh clone has no tmp/
      mkdirSync(LOCK, { recursive: false });
    } catch {
      // Someone else is building; a lock older than 3 minutes is stale.
      if (Date.now() - statSync(LOCK).mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 240_000) throw new Error('timed out waiting for another build of the site');
      await sleep(200);
      continue;
    }
    try {
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return OUT;
      const { build } = await import('vite');
      await build({ root: ROOT, logLevel: 'error', build: { outDir: OUT, emptyOutDir: true } });
      writeFileSync(stamp, want);
      return OUT;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.zip': 'application/zip',
};

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** Serves a directory on 127.0.0.1 at a free port. */
export async function serve(dir: string): Promise<Site> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
