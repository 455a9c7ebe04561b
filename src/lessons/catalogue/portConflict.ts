/** Lesson: two sockets, one port — TCP and UDP ports are separate (the golden case port-conflict; its Python is tests/golden/cases/port-conflict/). */
import { defineLesson } from '../lesson.ts';

const conflict = `from socket import *

# Two TCP sockets on the same port: the second bind fails.
a = socket(AF_INET, SOCK_STREAM)
a.bind(("", 8080))
print("tcp a bound to 8080")
b = socket(AF_INET, SOCK_STREAM)
try:
    b.bind(("", 8080))
    print("tcp b bound to 8080")
except Exception as e:
    print("tcp b: " + type(e).__name__ + ": " + str(e))

# Same again once the first one listens.
a.listen(1)
c = socket(AF_INET, SOCK_STREAM)
try:
    c.bind(("", 8080))
    print("tcp c bound to 8080")
except Exception as e:
    print("tcp c: " + type(e).__name__ + ": " + str(e))

# Two UDP sockets on the same port.
u1 = socket(AF_INET, SOCK_DGRAM)
u1.bind(("", 9000))
print("udp u1 bound to 9000")
u2 = socket(AF_INET, SOCK_DGRAM)
try:
    u2.bind(("", 9000))
    print("udp u2 bound to 9000")
except Exception as e:
    print("udp u2: " + type(e).__name__ + ": " + str(e))

# TCP 8080 and UDP 8080 are different ports: both binds work.
u3 = socket(AF_INET, SOCK_DGRAM)
try:
    u3.bind(("", 8080))
    print("udp u3 bound to 8080 while tcp a listens on 8080")
except Exception as e:
    print("udp u3: " + type(e).__name__ + ": " + str(e))

for s in (a, b, c, u1, u2, u3):
    s.close()
`;

export const portConflict = defineLesson({
  id: 'port-conflict',
  title: { en: 'One port, two sockets', zh: '一个端口,两个套接字' },
  summary: {
    en: 'A second bind() to a port in use fails with errno 98 — but TCP port 8080 and UDP port 8080 are different ports.',
    zh: '再次 bind() 一个已被占用的端口会失败(errno 98)——但 TCP 8080 和 UDP 8080 是两个不同的端口。',
  },
  intro: {
    en: 'A port belongs to one protocol: the kernel keeps a table of TCP ports and a separate table of UDP ports.\n\nWatch the port map: each failed bind() shows which socket holds the port. The last bind() succeeds because UDP port 8080 is free, even though TCP port 8080 is taken.',
    zh: '端口属于某一种协议:内核有一张 TCP 端口表,还有另一张独立的 UDP 端口表。\n\n观察端口图:每个失败的 bind() 都会显示是哪个套接字占用了端口。最后一个 bind() 成功了,因为 UDP 8080 端口是空闲的,尽管 TCP 8080 端口已被占用。',
  },
  files: { 'conflict.py': conflict },
  scenario: {
    seed: 1,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'conflict.py' }] }],
    link: { mtu: 1500, latency_ms: 0.05, loss: 0 },
  },
  views: ['ports', 'code', 'sockets', 'log'],
});
