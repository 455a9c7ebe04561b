/**
 * Starter examples for the sandbox, as scenario files with their programs inline
 * (src/view/sandbox/model/doc.ts). The programs are imported from the golden cases of the same
 * names (tests/golden/cases/), whose output and frames were recorded on real Linux; the threads
 * example serves two clients with two threading.Thread workers.
 *
 * Pure data.
 */
import type { Text } from '../../../lessons/lesson.ts';
// The golden cases' own files: the programs whose output and frames were recorded on real Linux.
import tcpServer from '../../../../tests/golden/cases/tcp-echo/server.py?raw';
import tcpClient from '../../../../tests/golden/cases/tcp-echo/client.py?raw';
import udpServer from '../../../../tests/golden/cases/udp-echo/server.py?raw';
import udpClient from '../../../../tests/golden/cases/udp-echo/client.py?raw';
import bindUser from '../../../../tests/golden/cases/bind-errors/user.py?raw';
import bindRoot from '../../../../tests/golden/cases/bind-errors/root.py?raw';
import httpServer from '../../../../tests/golden/cases/http-get/server.py?raw';
import httpClient from '../../../../tests/golden/cases/http-get/client.py?raw';

export interface Example {
  id: string;
  title: Text;
  scenario: Record<string, unknown>;
}

const threadsServer = `import socket
import threading


def serve(srv):
    conn, addr = srv.accept()
    with conn:
        data = conn.recv(1024)
        print(threading.current_thread().name, "got", data, "from", addr[0])
        conn.sendall(data.upper())


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 9000))
srv.listen()
workers = [threading.Thread(target=serve, args=(srv,), name=f"worker-{i}") for i in range(2)]
for w in workers:
    w.start()
for w in workers:
    w.join()
srv.close()
print("both clients served")
`;

const threadsClient = `import socket

s = socket.create_connection(("10.0.0.2", 9000))
s.sendall(b"hello from " + socket.gethostname().encode())
print("reply", s.recv(1024))
s.close()
`;

const twoHosts = (name: string, server: string, client: string, serverUser: 'root' | 'student', clientStart: number): Record<string, unknown> => ({
  name,
  hosts: [
    { name: 'server', ip: '10.0.0.2', programs: [{ name: 'server.py', code: server, ...(serverUser === 'root' ? { user: 'root' } : {}) }] },
    { name: 'client', ip: '10.0.0.1', programs: [{ name: 'client.py', code: client, start_ms: clientStart }] },
  ],
});

export const EXAMPLES: readonly Example[] = [
  { id: 'tcp-echo', title: { en: 'TCP echo', zh: 'TCP 回显' }, scenario: twoHosts('tcp-echo', tcpServer, tcpClient, 'student', 200) },
  { id: 'udp-echo', title: { en: 'UDP echo', zh: 'UDP 回显' }, scenario: twoHosts('udp-echo', udpServer, udpClient, 'student', 200) },
  {
    id: 'bind-errors',
    title: { en: 'bind() errors', zh: 'bind() 的各种错误' },
    scenario: {
      name: 'bind-errors',
      hosts: [
        {
          name: 'host',
          ip: '10.0.0.1',
          programs: [
            { name: 'user.py', code: bindUser },
            { name: 'root.py', code: bindRoot, user: 'root', start_ms: 300 },
          ],
        },
      ],
    },
  },
  {
    id: 'threads',
    title: { en: 'Threads: one worker per client', zh: '线程:每个客户端一个工作线程' },
    scenario: {
      name: 'threads',
      hosts: [
        { name: 'server', ip: '10.0.0.2', programs: [{ name: 'server.py', code: threadsServer }] },
        { name: 'alice', ip: '10.0.0.1', programs: [{ name: 'client.py', code: threadsClient, start_ms: 100 }] },
        { name: 'bob', ip: '10.0.0.3', programs: [{ name: 'client.py', code: threadsClient, start_ms: 100 }] },
      ],
    },
  },
  { id: 'http', title: { en: 'http.server + urllib', zh: 'http.server 与 urllib' }, scenario: twoHosts('http', httpServer, httpClient, 'root', 500) },
];

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
