/** Lesson: the TCP three-way handshake, a data exchange and the close (three segments here: FIN, FIN, ACK) (the golden case tcp-echo; its Python is tests/golden/cases/tcp-echo/). */
import { defineLesson } from '../lesson.ts';

const server = `from socket import *

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

const client = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
s.connect(("10.0.0.2", 8080))
print("connected")
s.send(b"hello")
data = s.recv(1024)
print("received", data)
s.close()
`;

export const tcpHandshake = defineLesson({
  id: 'tcp-handshake',
  title: { en: 'TCP: handshake, data and close', zh: 'TCP:三次握手、数据传输与关闭' },
  summary: {
    en: 'connect() and accept() meet in a three-way handshake; send() and recv() move bytes; the close takes three segments: FIN, FIN, ACK.',
    zh: 'connect() 与 accept() 通过三次握手相遇;send() 与 recv() 传送字节;关闭用了三个报文段:FIN、FIN、ACK。',
  },
  intro: {
    en: 'The server listens on port 8080; the client connects, sends “hello”, reads the echo and closes.\n\nWatch the SYN, SYN,ACK and ACK build the connection (both sides reach ESTABLISHED), the data and its ACKs, then the close in three segments, not four: the client’s FIN; the server’s FIN, which also acknowledges the client’s (the server closes as soon as its recv() returns b\'\', before its kernel has sent a separate ACK, so the FIN carries it); and the client’s final ACK. Every segment after the first SYN has the ACK flag set, so Wireshark shows both FINs as [FIN, ACK]. The side that closes first — here the client — ends in TIME_WAIT for 60 seconds.',
    zh: '服务器在 8080 端口监听;客户端连接、发送“hello”、读回回显,然后关闭。\n\n观察 SYN、SYN,ACK、ACK 如何建立连接(双方都进入 ESTABLISHED),数据及其确认,然后是关闭 —— 只用了三个报文段,而不是四个:客户端的 FIN;服务器的 FIN,它同时确认了客户端的 FIN(服务器的 recv() 一返回 b\'\' 就立即关闭,此时内核还没有单独发出 ACK,于是这个 ACK 随 FIN 一起发出);以及客户端最后的 ACK。第一个 SYN 之后的每个报文段都带有 ACK 标志,所以 Wireshark 把两个 FIN 都显示为 [FIN, ACK]。先关闭的一方(这里是客户端)会在 TIME_WAIT 状态停留 60 秒。',
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
  views: ['stack', 'tcp', 'code', 'packet', 'sockets', 'log'],
  notes: [
    {
      match: (e) => e.k === 'tcp' && e.from === 'SYN_RECV' && e.to === 'ESTABLISHED',
      text: {
        en: 'Three segments — SYN, SYN,ACK, ACK — and both ends are ESTABLISHED. accept() can now return.',
        zh: '三个报文段 —— SYN、SYN,ACK、ACK —— 双方都进入 ESTABLISHED。accept() 现在可以返回了。',
      },
    },
  ],
});
