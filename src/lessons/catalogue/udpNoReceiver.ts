/** Lesson: a UDP datagram to a port nobody listens on (the golden case udp-no-receiver; its Python is tests/golden/cases/udp-no-receiver/). */
import { defineLesson } from '../lesson.ts';

const client = `import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n = s.sendto(b"hello", ("10.0.0.2", 9999))
print("sendto returned", n)
time.sleep(0.2)
s.close()
print("done")
`;

export const udpNoReceiver = defineLesson({
  id: 'udp-no-receiver',
  title: { en: 'UDP with no receiver', zh: '没有接收方的 UDP' },
  summary: {
    en: 'sendto() succeeds even though nobody listens; the other host answers with ICMP “port unreachable”, which this socket never hears about.',
    zh: '即使没有人监听,sendto() 也会成功;对方主机回复 ICMP“端口不可达”,而这个套接字根本不会知道。',
  },
  intro: {
    en: 'Nothing stops the send: sendto() returns 5 as soon as the datagram is handed to the kernel, before it has even left the host.\n\nOn the server, no socket is bound to UDP port 9999, so its kernel drops the datagram and sends back an ICMP “destination unreachable (port unreachable)” message. An unconnected UDP socket is not told: the program prints “done” as if all went well.',
    zh: '没有什么能阻止发送:数据报一交给内核,sendto() 就返回 5,那时它甚至还没离开本机。\n\n服务器上没有套接字绑定 UDP 端口 9999,于是它的内核丢弃这个数据报,并回送一个 ICMP“目的不可达(端口不可达)”报文。未连接的 UDP 套接字不会得到通知:程序照样输出“done”,好像一切顺利。',
  },
  files: { 'client.py': client },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '10.0.0.2', programs: [] },
      { name: 'client', ip: '10.0.0.1', programs: [{ path: 'client.py', start_ms: 200 }] },
    ],
    link: { mtu: 1500, latency_ms: 0.05, loss: 0 },
  },
  views: ['stack', 'packet', 'code', 'ports', 'log'],
  notes: [
    {
      match: (e) => e.k === 'layer' && e.dir === 'up' && e.proto === 'icmp' && e.host === 'client',
      text: {
        en: 'The ICMP error reaches the client’s kernel, but this socket is not connected, so Linux does not report it: the program never knows.',
        zh: 'ICMP 差错报文到达了客户端的内核,但这个套接字没有连接,Linux 不会报告它:程序永远不会知道。',
      },
    },
  ],
});
