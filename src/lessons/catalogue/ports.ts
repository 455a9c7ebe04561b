/** Lesson: ports — a well-known server port, the client's ephemeral ports, and what `netstat -ano` shows. */
import { defineLesson } from '../lesson.ts';

const server = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 80))
s.listen(5)
c1, a1 = s.accept()
c2, a2 = s.accept()
print("clients:", a1, a2)
c1.recv(1024)
c2.recv(1024)
c1.close()
c2.close()
s.close()
`;

const client = `from socket import *
import time

a = socket(AF_INET, SOCK_STREAM)
a.connect(("10.0.0.2", 80))
b = socket(AF_INET, SOCK_STREAM)
b.connect(("10.0.0.2", 80))
print("local ports:", a.getsockname()[1], b.getsockname()[1])
time.sleep(1)  # look at netstat -ano now
a.close()
b.close()
`;

export const ports = defineLesson({
  id: 'ports',
  title: { en: 'Ports: well-known, ephemeral, and netstat -ano', zh: '端口:熟知端口、临时端口与 netstat -ano' },
  summary: {
    en: 'The server binds well-known port 80 (as root); each client socket gets an ephemeral port from the kernel. netstat -ano lists them all.',
    zh: '服务器(以 root 身份)绑定熟知端口 80;客户端的每个套接字都由内核分配一个临时端口。netstat -ano 把它们全部列出来。',
  },
  intro: {
    en: 'A port number says which socket on a host a segment is for. Servers bind a fixed, known port — web servers use 80, a well-known port (0–1023) that only root may bind on Linux. Clients usually do not bind at all: connect() makes the kernel pick a free ephemeral port.\n\nIANA calls 49152–65535 dynamic; the course simplifies this to “1024–65535”; Linux really picks from 32768–60999. Compare the ranges on the port map, and the LISTEN and ESTABLISHED lines of netstat -ano: one listening socket on port 80, plus one connected socket per client, all on port 80.',
    zh: '端口号表示一个报文段是发给主机上哪个套接字的。服务器绑定一个固定、众所周知的端口 —— Web 服务器用 80,这是一个熟知端口(0–1023),在 Linux 上只有 root 才能绑定。客户端通常根本不调用 bind:connect() 会让内核挑选一个空闲的临时端口。\n\nIANA 把 49152–65535 称为动态端口;课程里简化为“1024–65535”;Linux 实际从 32768–60999 中选择。在端口图上比较这些范围,再看看 netstat -ano 中 LISTEN 和 ESTABLISHED 的行:80 端口上有一个监听套接字,另外每个客户端各有一个已连接的套接字,它们都在 80 端口上。',
  },
  files: { 'client.py': client, 'server.py': server },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '10.0.0.2', programs: [{ path: 'server.py', user: 'root' }] },
      { name: 'client', ip: '10.0.0.1', programs: [{ path: 'client.py', start_ms: 200 }] },
    ],
    link: { mtu: 1500, latency_ms: 0.05 },
  },
  views: ['sockets', 'ports', 'stack', 'code', 'tcp', 'log'],
});
