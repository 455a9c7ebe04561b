/** Lesson: TIME_WAIT — the side that closes first keeps the connection (and its port) for 60 s. */
import { defineLesson } from '../lesson.ts';

const server = `from socket import *
import time

ls = socket(AF_INET, SOCK_STREAM)
ls.bind(("", 8080))
ls.listen(1)
conn, addr = ls.accept()
conn.close()  # the server closes first: its end goes to TIME_WAIT
ls.close()
time.sleep(0.3)

s = socket(AF_INET, SOCK_STREAM)
try:
    s.bind(("", 8080))
    print("bind ok")
except OSError as e:
    print("bind failed:", e)
s.close()

time.sleep(61)  # TIME_WAIT lasts 60 s on Linux
s = socket(AF_INET, SOCK_STREAM)
s.bind(("", 8080))
print("61 s later: bind ok")
s.close()
`;

const client = `from socket import *

s = socket(AF_INET, SOCK_STREAM)
s.connect(("10.0.0.2", 8080))
data = s.recv(1024)
print("server closed first, recv returned", data)
s.close()
`;

export const timeWait = defineLesson({
  id: 'time-wait',
  title: { en: 'TIME_WAIT', zh: 'TIME_WAIT 状态' },
  summary: {
    en: 'Whoever closes first waits 60 s in TIME_WAIT, still holding the port: a server restarted too soon cannot bind it.',
    zh: '先关闭的一方要在 TIME_WAIT 中等待 60 秒,并一直占用端口:过早重启的服务器无法绑定它。',
  },
  intro: {
    en: 'Here the server closes the connection first, so its end goes through FIN_WAIT1 and FIN_WAIT2 to TIME_WAIT, and stays there for 2 MSL (60 seconds on Linux) in case the last ACK was lost and the peer’s FIN comes again.\n\nMeanwhile the connection still holds port 8080: a new socket’s bind() fails with “Address already in use”. (SO_REUSEADDR on both the old and the new socket would allow it.) The player skips the idle minute — watch the gap on the timeline — and after it the port is free and bind() works.',
    zh: '这里由服务器先关闭连接,所以它这一端经过 FIN_WAIT1、FIN_WAIT2 进入 TIME_WAIT,并停留 2 MSL(在 Linux 上是 60 秒),以防最后一个 ACK 丢失、对方重发 FIN。\n\n在此期间,这个连接仍占用着 8080 端口:新套接字的 bind() 会因“Address already in use”而失败。(如果旧套接字和新套接字都设置了 SO_REUSEADDR,就可以绑定。)播放器会跳过空闲的这一分钟 —— 注意时间轴上的间隔 —— 之后端口空闲,bind() 成功。',
  },
  files: { 'client.py': client, 'server.py': server },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '10.0.0.2', programs: [{ path: 'server.py' }] },
      { name: 'client', ip: '10.0.0.1', programs: [{ path: 'client.py', start_ms: 200 }] },
    ],
    link: { mtu: 1500, latency_ms: 0.05 },
  },
  views: ['tcp', 'stack', 'ports', 'code', 'sockets', 'log'],
  notes: [
    {
      match: (e) => e.k === 'ret' && e.fn === 'bind' && e.error?.errno === 98,
      text: {
        en: 'The port is held by the old connection, now in TIME_WAIT and owned by no program — see the Ports view.',
        zh: '端口被旧连接占用着,它现在处于 TIME_WAIT,已不属于任何程序 —— 见“端口”视图。',
      },
    },
  ],
});
