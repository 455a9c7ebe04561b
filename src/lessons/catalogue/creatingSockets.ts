/** Lesson: creating sockets — AF_INET and AF_UNIX, SOCK_STREAM and SOCK_DGRAM. */
import { defineLesson } from '../lesson.ts';

const demo = `from socket import *
import time

tcp = socket(AF_INET, SOCK_STREAM)
udp = socket(AF_INET, SOCK_DGRAM)
stream = socket(AF_UNIX, SOCK_STREAM)
dgram = socket(AF_UNIX, SOCK_DGRAM)
print("fds:", tcp.fileno(), udp.fileno(), stream.fileno(), dgram.fileno())

tcp.bind(("", 8080))
tcp.listen(1)
udp.bind(("", 8080))
stream.bind("/tmp/demo.sock")
stream.listen(1)
dgram.bind("/tmp/demo-dgram.sock")

sender = socket(AF_UNIX, SOCK_DGRAM)
sender.sendto(b"hi", "/tmp/demo-dgram.sock")
print(dgram.recv(100))
time.sleep(0.5)  # look at netstat -ano now

for s in (tcp, udp, stream, dgram, sender):
    s.close()
`;

export const creatingSockets = defineLesson({
  id: 'creating-sockets',
  title: { en: 'Creating sockets: families and types', zh: '创建套接字:地址族与类型' },
  summary: {
    en: 'socket(family, type): AF_INET or AF_UNIX, SOCK_STREAM or SOCK_DGRAM — four kinds of socket, each a file descriptor.',
    zh: 'socket(地址族, 类型):AF_INET 或 AF_UNIX,SOCK_STREAM 或 SOCK_DGRAM —— 四种套接字,每个都是一个文件描述符。',
  },
  intro: {
    en: 'The family says how a socket is addressed: AF_INET sockets have an IP address and a port; AF_UNIX sockets have a path in the file system and never leave the host. The type says how data flows: SOCK_STREAM is a connection carrying a byte stream (TCP for AF_INET), SOCK_DGRAM carries separate messages (UDP for AF_INET).\n\nEach socket() returns the next free file descriptor: 3, 4, 5, 6 (0–2 are stdin, stdout, stderr). A TCP socket and a UDP socket can both use port 8080. The AF_UNIX datagram goes from one socket to another inside the kernel — no layers, no link.',
    zh: '地址族决定套接字如何寻址:AF_INET 套接字有 IP 地址和端口;AF_UNIX 套接字的地址是文件系统中的一个路径,数据永远不会离开本机。类型决定数据如何流动:SOCK_STREAM 是承载字节流的连接(在 AF_INET 中就是 TCP),SOCK_DGRAM 传送一个个独立的消息(在 AF_INET 中就是 UDP)。\n\n每次 socket() 都返回下一个空闲的文件描述符:3、4、5、6(0–2 是标准输入、标准输出和标准错误)。TCP 套接字和 UDP 套接字可以同时使用 8080 端口。AF_UNIX 数据报在内核中从一个套接字直接送到另一个 —— 不经过协议层,也不经过链路。',
  },
  files: { 'sockets.py': demo },
  scenario: {
    seed: 1,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'sockets.py' }] }],
    link: { mtu: 1500, latency_ms: 0.05 },
  },
  views: ['sockets', 'code', 'ports', 'log'],
});
