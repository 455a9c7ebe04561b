/** Lesson: bind() and its errors — port in use, privileged port, port out of range. */
import { AF_INET, SOCK_STREAM, type PyException } from '../../sim/api/pysocket.ts';
import { annotated } from '../annotated.ts';
import type { Lesson } from '../lesson.ts';
import { ONE_HOST } from '../networks.ts';

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

const str = (e: unknown): string => {
  const x = e as PyException;
  if (!x.py) throw e;
  return x.py.message;
};

export const bindErrors: Lesson = {
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
  scenario: {
    id: 'bind-errors',
    seed: 1,
    network: ONE_HOST,
    programs: [
      annotated({
        host: 'host',
        file: 'bind.py',
        source: demo,
        *program(py, at) {
          yield at(1);
          yield at(3);
          const a = yield* py.socket(AF_INET, SOCK_STREAM);
          yield at(4);
          yield* a.bind(['', 8080]);
          yield at(5);
          yield* a.listen(1);
          yield at(6);
          yield* py.print('a listens on port 8080');
          yield at(8);
          const b = yield* py.socket(AF_INET, SOCK_STREAM);
          yield at(9);
          try {
            yield at(10);
            yield* b.bind(['', 8080]);
          } catch (e) {
            yield at(11);
            yield at(12);
            yield* py.print('port in use:', str(e));
          }
          yield at(13);
          try {
            yield at(14);
            yield* b.bind(['', 80]);
          } catch (e) {
            yield at(15);
            yield at(16);
            yield* py.print('privileged port:', str(e));
          }
          yield at(17);
          try {
            yield at(18);
            yield* b.bind(['', 70000]);
          } catch (e) {
            yield at(19);
            yield at(20);
            yield* py.print('out of range:', str(e));
          }
          yield at(22);
          yield* b.bind(['', 0]);
          yield at(23);
          const name = (yield* b.getsockname()) as readonly [string, number];
          yield* py.print('port 0 means any free port:', name[1]);
          yield at(24);
          yield* a.close();
          yield at(25);
          yield* b.close();
        },
      }),
    ],
  },
  sources: [{ host: 'host', file: 'bind.py', source: demo }],
  views: ['ports', 'code', 'sockets', 'log'],
};
