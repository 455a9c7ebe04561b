// End to end: build the site (with a test page that exposes the Python sandbox API), serve it,
// open it in Debian's Chromium and run the tcp-echo Python scenario in the Web Worker, with
// Pyodide loaded from the site's own files (the test checks that nothing else is fetched).
// Also: a malformed program and a runaway loop in C code come back as clear errors. Fails,
// never skips, when Chromium is missing.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';

const CHROMIUM = '/usr/bin/chromium';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.zip': 'application/zip', '.css': 'text/css' };

let out: string;
let profile: string;
let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const notFound: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium): this test needs it`);
  out = mkdtempSync(join(tmpdir(), 'wirescope-site-'));
  await build({
    configFile: 'vite.config.ts',
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true, rollupOptions: { input: { main: 'index.html', python: 'tests/e2e/python-sandbox.html' } } },
  });
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(out, path);
    if (!file.startsWith(out) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
  profile = mkdtempSync(join(tmpdir(), 'wirescope-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  context.on('request', (r) => requests.push(r.url()));
  context.on('response', (r) => {
    if (r.status() >= 400) notFound.push(new URL(r.url()).pathname);
  });
  await page.goto(`${base}tests/e2e/python-sandbox.html`);
  await page.waitForSelector('body[data-ready="yes"]');
}, 300_000);

afterAll(async () => {
  await context?.close();
  await new Promise((r) => server?.close(r));
  for (const d of [out, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

type Api = { pythonSandbox: { runPythonScenario: (r: unknown, o?: unknown) => Promise<Record<string, unknown>>; tcpEcho: { scenario: string; files: Record<string, string> } } };

describe('the Python sandbox in Chromium', () => {
  it('runs the tcp-echo Python scenario in a worker and returns its trace', async () => {
    const r = await page.evaluate(async () => {
      const api = (window as unknown as Api).pythonSandbox;
      const res = await api.runPythonScenario(api.tcpEcho);
      const trace = res.trace as { events: { k: string }[] } | undefined;
      return { ok: res.ok, output: res.output, status: res.status, wire: trace?.events.filter((e) => e.k === 'wire').length, lines: trace?.events.filter((e) => e.k === 'line').length };
    });
    expect(r).toMatchObject({
      ok: true,
      status: 0,
      output: ['[client] connected', '[server] connection from 10.0.0.1', '[server] echoed 5 bytes', "[client] received b'hello'", '[server] done'],
    });
    expect(r.wire).toBeGreaterThan(10);
    expect(r.lines).toBeGreaterThan(5);
    expect(requests.filter((u) => !u.startsWith(base))).toEqual([]);
    expect(requests.some((u) => u.endsWith('/pyodide/pyodide.asm.wasm'))).toBe(true);
    // The browser asks for /favicon.ico on its own (the test page has none); nothing else may fail.
    expect(notFound.filter((p) => p !== '/favicon.ico')).toEqual([]);
    expect(errors.filter((e) => !(e.includes('404') && notFound.every((p) => p === '/favicon.ico')))).toEqual([]);
  }, 120_000);

  it('reports a malformed program and an endless loop as clear errors; the next run works again', async () => {
    const r = await page.evaluate(async () => {
      const api = (window as unknown as Api).pythonSandbox;
      const one = (code: string) => ({ scenario: { hosts: [{ name: 'h', ip: '10.0.0.1', programs: [{ code }] }] } });
      const syntax = await api.runPythonScenario(one('print("x"'));
      const invalid = await api.runPythonScenario({ scenario: '{"hosts": [' });
      const budget = await api.runPythonScenario({ ...one('while True:\n    pass\n'), stepBudget: 100000 });
      const runaway = await api.runPythonScenario(one('sum(iter(int, 1))\n'), { timeoutMs: 8000 });
      const again = await api.runPythonScenario(one('print("back")\n'));
      return { syntax, invalid, budget: [budget.ok, budget.status, budget.output], runaway, again: again.output };
    });
    expect(r.syntax).toEqual({ ok: false, kind: 'syntax', errors: ['inline-0.py has a syntax error:\n  File "inline-0.py", line 1\n    print("x"\n         ^\nSyntaxError: \'(\' was never closed'] });
    expect(r.invalid).toEqual({ ok: false, kind: 'invalid', errors: ['not valid JSON: expected a value at line 1, column 12, found the end of the file'] });
    expect(r.budget).toEqual([true, 1, ['[h] wirescope: inline-0.py stopped after 100,000 statements (the step budget); does it loop forever?']]);
    expect(r.runaway).toEqual({ ok: false, kind: 'timeout', errors: ['the run took longer than 8 s of real time and was stopped (a loop that never ends?)'] });
    expect(r.again).toEqual(['[h] back']);
  }, 180_000);
});
