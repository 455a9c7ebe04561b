/** Lesson: UDP send and receive (the golden case udp-echo; its Python is tests/golden/cases/udp-echo/). */
import { defineLesson } from '../lesson.ts';

const server = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.bind(("", 7788))
s.settimeout(5)
data, addr = s.recvfrom(2048)
print("got", data, "from", addr[0])
s.sendto(data, addr)
s.close()
`;

const client = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello", ("10.0.0.2", 7788))
data, addr = s.recvfrom(2048)
print("reply", data, "from", addr[0], addr[1])
s.close()
`;

export const udpEcho = defineLesson({
  id: 'udp-echo',
  title: { en: 'UDP: sendto() and recvfrom()', zh: 'UDP:sendto() 与 recvfrom()' },
  summary: {
    en: 'No connection, no handshake: each sendto() is one datagram, and recvfrom() tells you who sent it.',
    zh: '没有连接,也没有握手:每次 sendto() 就是一个数据报,recvfrom() 告诉你它来自谁。',
  },
  intro: {
    en: 'The server binds UDP port 7788 and waits in recvfrom(). The client never binds: its first sendto() makes the kernel pick an ephemeral port for it.\n\nBefore the first datagram can leave, the client must learn the server’s MAC address (ARP). Then one datagram goes each way — no SYN, no ACK, no FIN.',
    zh: '服务器绑定 UDP 端口 7788,在 recvfrom() 中等待。客户端从不调用 bind:第一次 sendto() 时内核为它选择一个临时端口。\n\n第一个数据报发出之前,客户端要先知道服务器的 MAC 地址(ARP)。之后每个方向只有一个数据报 —— 没有 SYN、ACK 或 FIN。',
  },
  files: { 'client.py': client, 'server.py': server },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '10.0.0.2', programs: [{ path: 'server.py' }] },
      { name: 'client', ip: '10.0.0.1', programs: [{ path: 'client.py', start_ms: 200 }] },
    ],
    link: { mtu: 1500, latency_ms: 0.05, loss: 0 },
  },
  views: ['stack', 'code', 'packet', 'ports', 'sockets', 'log'],
});
