/** Lesson: the convoy effect — an I/O thread beside a CPU-bound thread waits a switch interval per reply; sys.setswitchinterval. */
import { defineLesson } from '../lesson.ts';

const server = `import socket
import sys
import threading


def spin():
    while not done:
        pass


done = False
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 9000))
threading.Thread(target=spin).start()
for i in range(12):
    if i == 6:
        sys.setswitchinterval(0.001)
    data, addr = s.recvfrom(100)
    s.sendto(data, addr)
done = True
`;

const client = `import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(12):
    start = time.perf_counter()
    s.sendto(b"ping", ("10.0.0.2", 9000))
    s.recvfrom(100)
    print(f"reply {i + 1}: {(time.perf_counter() - start) * 1000:.2f} ms")
    time.sleep(0.002)
`;

export const convoyEffect = defineLesson({
  id: 'convoy-effect',
  title: { en: 'The convoy effect: I/O beside a busy thread', zh: '护航效应:繁忙线程旁的 I/O' },
  summary: {
    en: 'A server thread answering requests waits a whole switch interval for the GIL after each one while another thread computes; sys.setswitchinterval(0.001) shortens the wait.',
    zh: '另一个线程在计算时,负责应答请求的服务器线程每次都要为 GIL 等上整整一个切换间隔;sys.setswitchinterval(0.001) 可以缩短这个等待。',
  },
  intro: {
    en: 'The server has two threads. The main thread answers UDP requests: recvfrom(), then sendto(). The other thread spins in a pure-Python loop and never waits for anything.\n\nWhile the main thread is blocked in recvfrom() it has released the GIL, and the busy thread holds it. When a request arrives the kernel wakes the main thread at once, but to run its next line of Python it needs the GIL back: it waits, and only after a whole switch interval (5 ms) does it set a drop request and get the GIL. So each reply takes about 5 ms, although the network needs about a quarter of a millisecond — I/O is held up behind computation, the convoy effect (bpo-7946).\n\nAfter six requests the server calls sys.setswitchinterval(0.001): the same wait becomes about 1 ms. A shorter interval answers faster but makes CPU-bound threads switch more often, which costs them time. Watch the Threads view and the client’s output.',
    zh: '服务器有两个线程。主线程应答 UDP 请求:先 recvfrom(),再 sendto()。另一个线程在纯 Python 循环里空转,从不等待任何东西。\n\n主线程阻塞在 recvfrom() 中时已经释放了 GIL,由繁忙的线程持有。请求一到,内核立刻唤醒主线程,但它要运行下一行 Python 就必须拿回 GIL:它只能等待,等满一个切换间隔(5 毫秒)后才发出释放请求并拿到 GIL。所以每次应答都要大约 5 毫秒,而网络本身只需要约四分之一毫秒 —— I/O 被堵在计算后面,这就是护航效应(bpo-7946)。\n\n处理完六个请求后,服务器调用 sys.setswitchinterval(0.001):同样的等待缩短到约 1 毫秒。更短的间隔应答更快,但 CPU 密集型线程切换得更频繁,也要付出时间。请观察“线程”视图和客户端的输出。',
  },
  files: { 'client.py': client, 'server.py': server },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '10.0.0.2', programs: [{ path: 'server.py' }] },
      { name: 'client', ip: '10.0.0.1', programs: [{ path: 'client.py', start_ms: 20 }] },
    ],
    link: { mtu: 1500, latency_ms: 0.05 },
  },
  views: ['threads', 'code', 'stack', 'log'],
  notes: [
    {
      match: (e) => e.k === 'call' && e.fn === 'switch_interval',
      text: {
        en: 'sys.setswitchinterval(0.001): from now on a waiting thread asks for the GIL after 1 ms instead of 5 ms.',
        zh: 'sys.setswitchinterval(0.001):从现在起,等待的线程等 1 毫秒(而不是 5 毫秒)就会要求得到 GIL。',
      },
    },
  ],
});
