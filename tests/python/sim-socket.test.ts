// Python's socket, select, time and print on the simulated kernel: CPython's exceptions (class,
// errno, message), timeouts, non-blocking sockets, makefile, select, virtual time. The
// expected messages are CPython 3.14's on Linux (argument errors are also compared live with
// Pyodide's real C _socket module). Pyodide is loaded once for the file.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSimPython, type SimPython } from '../../src/python/simulated.ts';
import { dedent, runHosts, runOne } from './sim-helper.ts';
import { DEFAULT_THREAD_COSTS } from '../../src/sim/threads/config.ts';

let py: SimPython;
beforeAll(async () => {
  py = await loadSimPython();
});

describe('errors are CPython exceptions', () => {
  it('type errors, overflow and kernel errnos, with classes and attributes', () => {
    const r = runOne(
      py,
      dedent(`
        import socket, errno
        s = socket.socket()
        def t(f):
            try:
                f()
                print("ok")
            except Exception as e:
                print(type(e).__name__, e, getattr(e, "errno", None))
        t(lambda: s.send("text"))
        t(lambda: s.bind(("", "80")))
        t(lambda: s.bind(("", 70000)))
        t(lambda: s.bind("x"))
        t(lambda: s.bind(("",)))
        t(lambda: s.bind(("", 80)))
        s.bind(("", 8080))
        u = socket.socket()
        try:
            u.bind(("", 8080))
        except OSError as e:
            print(type(e) is OSError, e.errno == errno.EADDRINUSE, e.strerror, e.args, repr(e))
        t(lambda: socket.socket().connect(("10.0.0.1", 9)))
        t(lambda: socket.gethostbyname("nowhere"))
        print(isinstance(socket.gaierror(), OSError), socket.gaierror.__module__, socket.timeout is TimeoutError, socket.error is OSError)
        t(lambda: s.recv(-1))
        t(lambda: socket.socket(socket.AF_INET6))
        t(lambda: s.settimeout(-1))
        t(lambda: s.settimeout("x"))
      `),
    );
    expect(r.out).toEqual([
      "TypeError a bytes-like object is required, not 'str' None",
      "TypeError 'str' object cannot be interpreted as an integer None",
      'OverflowError bind(): port must be 0-65535. None',
      'TypeError bind(): AF_INET address must be tuple, not str None',
      'TypeError AF_INET address must be a pair (host, port) None',
      'PermissionError [Errno 13] Permission denied 13',
      "True True Address already in use (98, 'Address already in use') OSError(98, 'Address already in use')",
      'ConnectionRefusedError [Errno 111] Connection refused 111',
      'gaierror [Errno -2] Name or service not known -2',
      'True socket True True',
      'ValueError negative buffersize in recv None',
      'OSError [Errno 97] Address family not supported by protocol 97',
      'ValueError Timeout value out of range None',
      "TypeError 'str' object cannot be interpreted as an integer or float None",
    ]);
  });

  it('argument errors match the real C module (Pyodide _socket) message for message', () => {
    const r = runOne(
      py,
      dedent(`
        import _socket as sim
        from wirescope.sim.install import REAL
        real = REAL["_socket"]
        cases = [
            lambda m: m.socket().bind(1),
            lambda m: m.socket().bind(("a", 1, 2)),
            lambda m: m.socket().bind((1, 80)),
            lambda m: m.socket().bind(("", 1.5)),
            lambda m: m.socket().bind(("", 2**40)),
            lambda m: m.socket().connect("x"),
            lambda m: m.socket().send("x"),
            lambda m: m.socket().sendall(1),
            lambda m: m.socket().sendto(b"x"),
            lambda m: m.socket().sendto(b"x", 1, 2, 3),
            lambda m: m.socket().sendto(b"x", "f", ("a", 1)),
            lambda m: m.socket().recv("x"),
            lambda m: m.socket().recv_into(b"ab"),
            lambda m: m.socket().recv_into(bytearray(2), 5),
            lambda m: m.socket().recv_into(bytearray(2), -1),
            lambda m: m.socket().recvfrom_into(bytearray(2), 5),
            lambda m: m.socket().settimeout(float("nan")),
            lambda m: m.socket().listen("x"),
            lambda m: m.socket().shutdown("x"),
            lambda m: m.socket().getsockopt(1, 2, 2000),
            lambda m: m.socket("x"),
            lambda m: m.setdefaulttimeout(-1),
            lambda m: m.gethostbyname(1),
            lambda m: m.htons(70000),
            lambda m: m.htonl(-1),
            lambda m: m.inet_ntoa(b"xx"),
            lambda m: m.inet_pton(m.AF_INET, "1.2.3"),
            lambda m: m.getaddrinfo("127.0.0.1", 1.5),
        ]
        def outcome(f, m):
            try:
                return repr(f(m))
            except BaseException as e:
                return type(e).__name__ + ": " + str(e)
        for i, f in enumerate(cases):
            a, b = outcome(f, sim), outcome(f, real)
            print(i, "same" if a == b else "DIFFERENT sim=%s real=%s" % (a, b))
      `),
    );
    expect(r.out.filter((l) => !l.endsWith(' same'))).toEqual([]);
    expect(r.out).toHaveLength(28);
  });

  it('an uncaught exception ends the program with a traceback into its own lines; sys.exit sets the status', () => {
    const r = runHosts(py, [
      {
        name: 'a',
        programs: [
          { name: 'boom.py', code: 'import socket\n\ndef go():\n    socket.socket().connect(("10.0.0.1", 1))\n\ngo()\n' },
          { name: 'quit.py', code: 'import sys\nprint("x", end="")\nsys.exit(3)\n' },
          { name: 'msg.py', code: 'import sys\nsys.exit("bye")\n' },
        ],
      },
    ]);
    expect(r.lines.filter((l) => l.startsWith('[a/boom.py]'))).toEqual([
      '[a/boom.py] Traceback (most recent call last):',
      '[a/boom.py]   File "/sim/a/boom.py", line 6, in <module>',
      '[a/boom.py]     go()',
      '[a/boom.py]     ~~^^',
      '[a/boom.py]   File "/sim/a/boom.py", line 4, in go',
      '[a/boom.py]     socket.socket().connect(("10.0.0.1", 1))',
      '[a/boom.py]     ~~~~~~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^',
      '[a/boom.py] ConnectionRefusedError: [Errno 111] Connection refused',
    ]);
    expect(r.lines).toContain('[a/quit.py] x');
    expect(r.lines).toContain('[a/msg.py] bye');
    expect(r.programs.map((p) => p.status)).toEqual([1, 3, 1]);
  });
});

describe('blocking, timeouts and non-blocking sockets', () => {
  it('a timeout raises TimeoutError after exactly that much virtual time; non-blocking calls raise BlockingIOError', () => {
    const r = runOne(
      py,
      dedent(`
        import socket, time
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("", 5000))
        u.settimeout(0.25)
        t0 = time.monotonic()
        try:
            u.recvfrom(100)
        except socket.timeout as e:
            print("timeout", repr(e), round(time.monotonic() - t0, 3))
        u.setblocking(False)
        print(u.gettimeout(), u.getblocking())
        try:
            u.recv(10)
        except BlockingIOError as e:
            print(e)
        t = socket.socket()
        t.setblocking(False)
        print(t.connect_ex(("10.0.0.1", 9)))
        n = socket.socket(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
        print(n.gettimeout(), n.type)
        l = socket.socket()
        l.bind(("", 7000))
        l.listen()
        l.settimeout(1)
        c = socket.socket()
        c.connect(("10.0.0.1", 7000))
        conn, addr = l.accept()
        print(conn.gettimeout(), conn.getblocking(), addr[0])
        socket.setdefaulttimeout(2.5)
        print(socket.socket().gettimeout())
      `),
    );
    expect(r.out).toEqual([
      "timeout TimeoutError('timed out') 0.25",
      '0.0 False',
      '[Errno 11] Resource temporarily unavailable',
      '115',
      '0.0 1', // IntEnum prints as its value since 3.11
      'None True 10.0.0.1',
      '2.5',
    ]);
  });

  it('makefile() reads and writes lines, suspending in recv; select() waits for readiness or times out', () => {
    const r = runHosts(py, [
      {
        name: 'server',
        programs: [
          {
            code: dedent(`
              import socket, select
              l = socket.create_server(("", 9000))
              r, w, x = select.select([l], [], [], 0.1)
              print("before", r, w, x)
              r, _, _ = select.select([l], [], [])
              print("ready", r == [l])
              conn, _ = l.accept()
              with conn, conn.makefile("rw", encoding="utf-8") as f:
                  for line in f:
                      print("got", line.strip())
                      f.write(line.upper())
                      f.flush()
              print("eof")
            `),
          },
        ],
      },
      {
        name: 'client',
        programs: [
          {
            start_ms: 200,
            code: dedent(`
              import socket
              with socket.create_connection(("server", 9000)) as s:
                  f = s.makefile("rwb")
                  for word in (b"one", b"two"):
                      f.write(word + b"\\n")
                      f.flush()
                      print(f.readline())
                  f.close()
                  s.shutdown(socket.SHUT_WR)
                  print(s.recv(10))
            `),
          },
        ],
      },
    ]);
    expect(r.lines).toEqual([
      '[server] before [] [] []',
      '[server] ready True',
      '[server] got one',
      "[client] b'ONE\\n'",
      '[server] got two',
      "[client] b'TWO\\n'",
      '[server] eof',
      "[client] b''",
    ]);
  });
});

describe('virtual time', () => {
  it('clocks read virtual time; sleep suspends in it; process_time counts the program\'s statements', () => {
    const r = runOne(
      py,
      dedent(`
        import time, datetime
        print(time.time(), time.time_ns() // 10**9)
        t0 = time.perf_counter()
        time.sleep(1.5)
        print(round(time.perf_counter() - t0, 4))
        c0 = time.process_time_ns()
        n = 0
        while n < 1000:
            n += 1
        print(time.process_time_ns() - c0)
        print(datetime.datetime.now(datetime.timezone.utc).year, time.gmtime().tm_year)
        try:
            time.sleep(-1)
        except ValueError as e:
            print(e)
      `),
    );
    const [first, slept, cpu, year, neg] = r.out;
    expect(first).toMatch(/^1735689600\.\d+ 1735689600$/);
    expect(slept).toBe('1.5');
    // n = 0, 1001 loop tests, 1000 bodies and the statement reading the clock, at the thread model's cost each
    // (each clock reading is whole ns, so the difference may be 1 ns off the exact product)
    expect(Math.abs(Number(cpu) - (1 + 1001 + 1000 + 1) * DEFAULT_THREAD_COSTS.statementNs)).toBeLessThanOrEqual(1);
    expect(year).toBe('2025 2025');
    expect(neg).toBe('sleep length must be non-negative');
  });
});

describe('programs that never end', () => {
  it('a loop without I/O stops at the step budget with a clear message and status 1', () => {
    const r = runOne(py, 'n = 0\nwhile True:\n    n += 1\n', { stepBudget: 200_000 });
    expect(r.out).toEqual(['wirescope: inline-0.py stopped after 200,000 statements (the step budget); does it loop forever?']);
    expect(r.programs[0]).toMatchObject({ state: 'exited', status: 1, budget: true });
  });

  it('a while-True server ends cleanly when its client is done: reported as blocked, not failed', () => {
    const r = runHosts(py, [
      {
        name: 'server',
        programs: [
          {
            code: dedent(`
              import socket
              s = socket.create_server(("", 7))
              while True:
                  c, a = s.accept()
                  c.sendall(c.recv(100))
                  c.close()
            `),
            user: 'root',
          },
        ],
      },
      { name: 'client', programs: [{ start_ms: 100, code: 'import socket\ns = socket.create_connection(("server", 7))\ns.send(b"hi")\nprint(s.recv(10))\n' }] },
    ]);
    expect(r.lines).toEqual(["[client] b'hi'"]);
    expect(r.programs.map((p) => [p.state, p.status, p.waitingIn])).toEqual([
      ['blocked', undefined, 'accept'],
      ['exited', 0, undefined],
    ]);
  });

  it('socketserver.serve_forever (a polling loop) also ends once nothing else can happen', () => {
    const r = runHosts(py, [
      {
        name: 'server',
        programs: [
          {
            code: dedent(`
              import socketserver
              class Echo(socketserver.StreamRequestHandler):
                  def handle(self):
                      for line in self.rfile:
                          self.wfile.write(line)
              with socketserver.TCPServer(("", 9999), Echo) as srv:
                  srv.serve_forever()
            `),
          },
        ],
      },
      {
        name: 'client',
        programs: [
          {
            start_ms: 100,
            code: 'import socket\ns = socket.create_connection(("server", 9999))\ns.sendall(b"a\\nb\\n")\ns.shutdown(1)\ngot = b""\nwhile d := s.recv(10):\n    got += d\nprint(got)\n',
          },
        ],
      },
    ]);
    expect(r.lines).toEqual(["[client] b'a\\nb\\n'"]);
    expect(r.programs[0]).toMatchObject({ state: 'blocked', waitingIn: 'select' });
    expect(r.trace.end).toBeLessThan(200_000_000);
  });
});

describe('line events', () => {
  it('short stretches list each line with its offset; a hot loop is one compacted run per step', () => {
    const r = runOne(py, 'import time\nx = 1\ntime.sleep(0.001)\nfor i in range(300000):\n    x += i\nprint(x)\n');
    const lines = r.trace.events.filter((e) => e.k === 'line');
    expect(lines[0]).toMatchObject({ file: 'inline-0.py', lines: [1, 2, 3], at: [0, 0, 0] });
    const runs = lines.filter((e) => e.k === 'line' && e.run);
    expect(runs.length).toBeGreaterThan(2);
    expect(runs.length).toBeLessThan(20);
    const total = runs.reduce((n, e) => n + (e.k === 'line' && e.run ? e.run.count : 0), 0);
    expect(total).toBeGreaterThan(590_000);
    expect(runs[0]).toMatchObject({ run: { set: [4, 5] } });
    expect(r.out).toEqual([String((300000 * 299999) / 2 + 1)]);
  });

  it('the same scenario gives the same trace, run after run', () => {
    const code = 'import socket, random\nprint(random.random(), {"a", "b", "c"})\ns = socket.socket()\nprint(s)\n';
    const a = runOne(py, code);
    const b = runOne(py, code);
    expect(JSON.stringify(a.trace.events, (_k, v) => (v instanceof Uint8Array ? [...v] : v))).toBe(
      JSON.stringify(b.trace.events, (_k, v) => (v instanceof Uint8Array ? [...v] : v)),
    );
    expect(a.out[1]).toBe("<socket.socket fd=3, family=2, type=1, proto=0, laddr=('0.0.0.0', 0)>");
  });

  it('the first run in a fresh interpreter gives the trace every later run gives', async () => {
    // Each run is a new set of processes: nothing an earlier run of the interpreter did may
    // show. It did, three ways: install()'s own statements were charged to the first program;
    // urllib.request's opener (a global built by the first urlopen) was reused by later runs;
    // and ThreadPoolExecutor joined its workers in set order, i.e. by memory address.
    const fresh = await loadSimPython();
    const hosts = [
      {
        name: 'web',
        programs: [{ name: 'serve.py', user: 'root' as const, code: 'import http.server\nclass Q(http.server.SimpleHTTPRequestHandler):\n    def log_message(self, *a):\n        pass\nwith http.server.HTTPServer(("", 80), Q) as srv:\n    srv.handle_request()\n' }],
      },
      {
        name: 'browser',
        programs: [
          {
            start_ms: 100,
            code: dedent(`
              import urllib.request, concurrent.futures
              with urllib.request.urlopen("http://web/") as r:
                  print(r.status)
              with concurrent.futures.ThreadPoolExecutor(3) as ex:
                  print(list(ex.map(lambda x: x * 2, range(5))))
            `),
          },
        ],
      },
    ];
    const json = (r: { trace: { events: unknown[] } }) => JSON.stringify(r.trace.events, (_k, v) => (v instanceof Uint8Array ? [...v] : v));
    const first = runHosts(fresh, hosts);
    expect(first.lines).toEqual(['[browser] 200', '[browser] [0, 2, 4, 6, 8]']);
    expect(first.trace.events.find((e) => e.k === 'line')).toMatchObject({ host: 'web', at: [0, 0, 0, 0] });
    const later = [runHosts(fresh, hosts), runHosts(fresh, hosts), runHosts(py, hosts)].map(json);
    for (const t of later) expect(t).toBe(json(first));
    // Shutting the pool down joins its workers: in the order they started, not by address.
    const pool = 'import concurrent.futures\nwith concurrent.futures.ThreadPoolExecutor(2) as ex:\n    print(list(ex.map(lambda x: x * 2, range(3))))\n';
    const runs = Array.from({ length: 4 }, () => json(runOne(fresh, pool)));
    for (const t of runs) expect(t).toBe(runs[0]);
  }, 60_000);
});

describe('the standard library on the simulated network', () => {
  it('http.server serves the files of its own host to urllib on another host; AF_UNIX files are removed with os.unlink', () => {
    const r = runHosts(py, [
      {
        name: 'web',
        programs: [
          {
            name: 'serve.py',
            user: 'root',
            code: dedent(`
              import http.server, os
              class Quiet(http.server.SimpleHTTPRequestHandler):
                  def log_message(self, *a):
                      pass
              with http.server.HTTPServer(("", 80), Quiet) as srv:
                  srv.handle_request()
              try:
                  os.unlink("/tmp/none.sock")
              except FileNotFoundError as e:
                  print(e, e.filename)
            `),
          },
        ],
      },
      {
        name: 'browser',
        programs: [
          {
            start_ms: 100,
            code: dedent(`
              import urllib.request
              with urllib.request.urlopen("http://web/") as r:
                  body = r.read().decode()
              print(r.status, "serve.py" in body, "inline-0.py" in body)
            `),
          },
        ],
      },
    ]);
    // Each host has its own directory: the browser's own program is not on the web server.
    expect(r.lines).toEqual(["[web] [Errno 2] No such file or directory: '/tmp/none.sock' /tmp/none.sock", '[browser] 200 True False']);
  });
});
