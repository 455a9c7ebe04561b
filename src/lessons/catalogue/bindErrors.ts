/** Lesson: bind() and its errors — port in use, privileged port, port out of range. */
import { defineLesson } from '../lesson.ts';

const demo = `from socket import *

a = socket(AF_INET, SOCK_STREAM)
a.bind(("", 8080))
a.listen(1)
print("a listens on port 8080")

b = socket(AF_INET, SOCK_STREAM)
try:
    b.bind(("", 8080))
except OSError as e:
    print("port in use:", e)
try:
    b.bind(("", 80))
except OSError as e:
    print("privileged port:", e)
try:
    b.bind(("", 70000))
except OverflowError as e:
    print("out of range:", e)

b.bind(("", 0))
print("port 0 means any free port:", b.getsockname()[1])
a.close()
b.close()
`;

export const bindErrors = defineLesson({
  id: 'bind-errors',
  title: { en: 'bind() and its errors', zh: 'bind() 及其错误' },
  summary: {
    en: 'Address already in use (errno 98), permission denied for ports below 1024 (errno 13), and ports outside 0–65535.',
    zh: '地址已被占用(errno 98)、绑定 1024 以下端口时权限不足(errno 13),以及超出 0–65535 的端口。',
  },
  intro: {
    en: 'bind() asks the kernel for a local address and port. It fails when another socket holds the port (OSError errno 98, “Address already in use” — the port map shows who holds it), when an ordinary user asks for a well-known port below 1024 (PermissionError errno 13), and when the number cannot be a port at all (Python refuses it with OverflowError before asking the kernel).\n\nbind(("", 0)) asks for any free port: the kernel picks an ephemeral one, as connect() and sendto() do for unbound sockets.',
    zh: 'bind() 向内核申请一个本地地址和端口。在以下情况下会失败:另一个套接字已占用这个端口(OSError errno 98,“Address already in use”—— 端口图会显示是谁占用了它);普通用户申请 1024 以下的熟知端口(PermissionError errno 13);以及这个数根本不可能是端口号(Python 在询问内核之前就以 OverflowError 拒绝)。\n\nbind(("", 0)) 表示“任意空闲端口”:内核挑选一个临时端口,就像 connect() 和 sendto() 为未绑定的套接字所做的那样。',
  },
  files: { 'bind.py': demo },
  scenario: {
    seed: 1,
    hosts: [{ name: 'host', ip: '10.0.0.1', programs: [{ path: 'bind.py' }] }],
    link: { mtu: 1500, latency_ms: 0.05 },
  },
  views: ['ports', 'code', 'sockets', 'log'],
});
