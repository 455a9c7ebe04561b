/**
 * Starter examples for the sandbox, as scenario files with their programs inline
 * (src/view/sandbox/model/doc.ts). The programs are the golden cases of the same names
 * (tests/golden/cases/), whose output and frames were recorded on real Linux; the threads example
 * serves two clients with two threading.Thread workers.
 *
 * Pure data.
 */
import type { Text } from '../../../lessons/lesson.ts';

export interface Example {
  id: string;
  title: Text;
  scenario: Record<string, unknown>;
}

const tcpServer = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8080))
s.listen(1)
s.settimeout(5)
conn, addr = s.accept()
conn.settimeout(5)
print("connection from", addr[0])
while True:
    data = conn.recv(1024)
    if not data:
        break
    conn.sendall(data)
    print("echoed", len(data), "bytes")
conn.close()
s.close()
print("done")
`;

const tcpClient = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
s.connect(("10.0.0.2", 8080))
print("connected")
s.send(b"hello")
data = s.recv(1024)
print("received", data)
s.close()
`;

const udpServer = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.bind(("", 7788))
s.settimeout(5)
data, addr = s.recvfrom(2048)
print("got", data, "from", addr[0])
s.sendto(data, addr)
s.close()
`;

const udpClient = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello", ("10.0.0.2", 7788))
data, addr = s.recvfrom(2048)
print("reply", data, "from", addr[0], addr[1])
s.close()
`;

const bindUser = `from socket import *


def try_bind(label, addr):
    s = socket(AF_INET, SOCK_STREAM)
    try:
        s.bind(addr)
        print(label + ": bound")
    except Exception as e:
        print(label + ": " + type(e).__name__ + ": " + str(e))
    s.close()


try_bind("port 80", ("", 80))
try_bind("port 70000", ("", 70000))
try_bind("port -1", ("", -1))
try_bind("address 10.0.0.99", ("10.0.0.99", 8080))
try_bind("port '8080'", ("", "8080"))
try_bind("host 'no-such-host'", ("no-such-host", 8080))
try_bind("port 8080", ("", 8080))

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8081))
try:
    s.bind(("", 8082))
    print("second bind: bound")
except Exception as e:
    print("second bind: " + type(e).__name__ + ": " + str(e))
s.close()
`;

const bindRoot = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
try:
    s.bind(("", 80))
    print("root port 80: bound")
except Exception as e:
    print("root port 80: " + type(e).__name__ + ": " + str(e))
s.close()
`;

const httpServer = `from http.server import HTTPServer, BaseHTTPRequestHandler

BODY = b"<h1>Hello from wirescope</h1>\\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format, *args):
        pass  # the default log line has a timestamp


server = HTTPServer(("", 80), Handler)
server.timeout = 5
print("serving on port 80")
server.handle_request()
server.server_close()
print("served one request")
`;

const httpClient = `import urllib.request

with urllib.request.urlopen("http://10.0.0.2/", timeout=5) as r:
    print(r.status, r.reason)
    print(r.headers["Content-Type"])
    print(r.read().decode(), end="")
`;

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
