/** Lesson: connecting to a port nobody listens on (the golden case tcp-refused; its Python is tests/golden/cases/tcp-refused/). */
import { defineLesson } from '../lesson.ts';

const client = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.settimeout(5)
try:
    s.connect(("10.0.0.2", 8081))
    print("connected")
except Exception as e:
    print(type(e).__name__ + ": " + str(e))
s.close()
`;

export const tcpRefused = defineLesson({
  id: 'tcp-refused',
  title: { en: 'TCP: connection refused', zh: 'TCP:连接被拒绝' },
  summary: {
    en: 'Nothing listens on port 8081: the server’s kernel answers the SYN with RST, and connect() raises ConnectionRefusedError.',
    zh: '8081 端口上没有程序监听:服务器内核用 RST 回应 SYN,connect() 引发 ConnectionRefusedError。',
  },
  intro: {
    en: 'The server host is up, but no program on it listens on port 8081. The client’s SYN still arrives: the server’s kernel, finding no listening socket, answers with a reset (RST,ACK).\n\nThe client’s connection goes straight from SYN_SENT back to CLOSED, its ephemeral port is released, and connect() raises ConnectionRefusedError (errno 111).',
    zh: '服务器主机在运行,但没有程序在 8081 端口监听。客户端的 SYN 照样到达:服务器内核找不到监听套接字,于是回复复位报文(RST,ACK)。\n\n客户端的连接从 SYN_SENT 直接回到 CLOSED,临时端口被释放,connect() 引发 ConnectionRefusedError(errno 111)。',
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
  views: ['stack', 'tcp', 'code', 'packet', 'ports', 'log'],
});
