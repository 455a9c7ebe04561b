/**
 * The built-in scenarios, as TypeScript programs that mirror, call for call, the Python
 * programs of the golden cases in tests/golden/cases/ (so both can be checked against what real
 * Linux put on the wire). Pure data and generators.
 */
import { AF_INET, SOCK_DGRAM, SOCK_STREAM, b, type Py, type PyException } from '../sim/api/pysocket.ts';
import type { Scenario } from '../sim/scenario.ts';
import type { NetworkSpec } from '../sim/network.ts';

const twoHosts: NetworkSpec = {
  hosts: [
    { name: 'server', ip: '10.0.0.2' },
    { name: 'client', ip: '10.0.0.1' },
  ],
  link: { mtu: 1500, latency: 50 },
};

const oneHost: NetworkSpec = { hosts: [{ name: 'host', ip: '10.0.0.1' }], link: { mtu: 1500, latency: 50 } };

function describe(e: unknown): string {
  const x = e as PyException;
  if (!x.py) throw e;
  return `${x.py.type}: ${x.py.message}`;
}

const tcpEcho: Scenario = {
  id: 'tcp-echo',
  seed: 1,
  network: twoHosts,
  programs: [
    {
      host: 'server',
      file: 'server.py',
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.bind(['', 8080]);
        yield* s.listen(1);
        s.settimeout(5);
        const [conn, addr] = yield* s.accept();
        conn.settimeout(5);
        yield* py.print('connection from', (addr as [string, number])[0]);
        for (;;) {
          const data = yield* conn.recv(1024);
          if (data.length === 0) break;
          yield* conn.sendall(data);
          yield* py.print('echoed', data.length, 'bytes');
        }
        yield* conn.close();
        yield* s.close();
        yield* py.print('done');
      },
    },
    {
      host: 'client',
      file: 'client.py',
      start: 200_000,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        s.settimeout(5);
        yield* s.connect(['10.0.0.2', 8080]);
        yield* py.print('connected');
        yield* s.send(b('hello'));
        const data = yield* s.recv(1024);
        yield* py.print('received', data);
        yield* s.close();
      },
    },
  ],
};

const udpEcho: Scenario = {
  id: 'udp-echo',
  seed: 1,
  network: twoHosts,
  programs: [
    {
      host: 'server',
      file: 'server.py',
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_DGRAM);
        yield* s.bind(['', 7788]);
        s.settimeout(5);
        const [data, addr] = yield* s.recvfrom(2048);
        yield* py.print('got', data, 'from', (addr as [string, number])[0]);
        yield* s.sendto(data, addr);
        yield* s.close();
      },
    },
    {
      host: 'client',
      file: 'client.py',
      start: 200_000,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_DGRAM);
        s.settimeout(5);
        yield* s.sendto(b('hello'), ['10.0.0.2', 7788]);
        const [data, addr] = yield* s.recvfrom(2048);
        const [ip, port] = addr as [string, number];
        yield* py.print('reply', data, 'from', ip, port);
        yield* s.close();
      },
    },
  ],
};

const udpNoReceiver: Scenario = {
  id: 'udp-no-receiver',
  seed: 1,
  network: twoHosts,
  programs: [
    {
      host: 'client',
      file: 'client.py',
      start: 200_000,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_DGRAM);
        const n = yield* s.sendto(b('hello'), ['10.0.0.2', 9999]);
        yield* py.print('sendto returned', n);
        yield* py.sleep(0.2);
        yield* s.close();
        yield* py.print('done');
      },
    },
  ],
};

const tcpRefused: Scenario = {
  id: 'tcp-refused',
  seed: 1,
  network: twoHosts,
  programs: [
    {
      host: 'client',
      file: 'client.py',
      start: 200_000,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        s.settimeout(5);
        try {
          yield* s.connect(['10.0.0.2', 8081]);
          yield* py.print('connected');
        } catch (e) {
          yield* py.print(describe(e));
        }
        yield* s.close();
      },
    },
  ],
};

const tcpBulk: Scenario = {
  id: 'tcp-bulk',
  seed: 1,
  network: twoHosts,
  programs: [
    {
      host: 'server',
      file: 'server.py',
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* s.bind(['', 8080]);
        yield* s.listen(1);
        s.settimeout(5);
        const [conn] = yield* s.accept();
        conn.settimeout(5);
        let total = 0;
        for (;;) {
          const data = yield* conn.recv(65536);
          if (data.length === 0) break;
          total += data.length;
        }
        yield* py.print('received', total, 'bytes');
        yield* conn.close();
        yield* s.close();
      },
    },
    {
      host: 'client',
      file: 'client.py',
      start: 200_000,
      *program(py: Py) {
        const s = yield* py.socket(AF_INET, SOCK_STREAM);
        s.settimeout(5);
        yield* s.connect(['10.0.0.2', 8080]);
        yield* s.sendall(new Uint8Array(5000).fill(0x78));
        yield* py.print('sent 5000 bytes');
        yield* s.close();
      },
    },
  ],
};

const portConflict: Scenario = {
  id: 'port-conflict',
  seed: 1,
  network: oneHost,
  programs: [
    {
      host: 'host',
      file: 'conflict.py',
      *program(py: Py) {
        const a = yield* py.socket(AF_INET, SOCK_STREAM);
        yield* a.bind(['', 8080]);
        yield* py.print('tcp a bound to 8080');
        const bSock = yield* py.socket(AF_INET, SOCK_STREAM);
        try {
          yield* bSock.bind(['', 8080]);
          yield* py.print('tcp b bound to 8080');
        } catch (e) {
          yield* py.print('tcp b: ' + describe(e));
        }
        yield* a.listen(1);
        const c = yield* py.socket(AF_INET, SOCK_STREAM);
        try {
          yield* c.bind(['', 8080]);
          yield* py.print('tcp c bound to 8080');
        } catch (e) {
          yield* py.print('tcp c: ' + describe(e));
        }
        const u1 = yield* py.socket(AF_INET, SOCK_DGRAM);
        yield* u1.bind(['', 9000]);
        yield* py.print('udp u1 bound to 9000');
        const u2 = yield* py.socket(AF_INET, SOCK_DGRAM);
        try {
          yield* u2.bind(['', 9000]);
          yield* py.print('udp u2 bound to 9000');
        } catch (e) {
          yield* py.print('udp u2: ' + describe(e));
        }
        const u3 = yield* py.socket(AF_INET, SOCK_DGRAM);
        try {
          yield* u3.bind(['', 8080]);
          yield* py.print('udp u3 bound to 8080 while tcp a listens on 8080');
        } catch (e) {
          yield* py.print('udp u3: ' + describe(e));
        }
        for (const s of [a, bSock, c, u1, u2, u3]) yield* s.close();
      },
    },
  ],
};

export const BUILTIN_SCENARIOS: readonly Scenario[] = [tcpEcho, udpEcho, udpNoReceiver, tcpRefused, tcpBulk, portConflict];

export function builtinScenario(id: string): Scenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.id === id);
}
