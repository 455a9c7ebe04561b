/** Lesson: the TCP/IP model and encapsulation — one UDP datagram down, across and up the layers. */
import { defineLesson } from '../lesson.ts';

const server = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.bind(("", 9000))
data, addr = s.recvfrom(1024)
print("got", data, "from", addr)
s.close()
`;

const client = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.sendto(b"hello", ("10.0.0.2", 9000))
s.close()
`;

export const encapsulation = defineLesson({
  id: 'encapsulation',
  title: { en: 'The TCP/IP model and encapsulation', zh: 'TCP/IP 模型与封装' },
  summary: {
    en: 'Five bytes of “hello” gain a UDP header, an IPv4 header and an Ethernet header on the way down, and lose them again on the way up.',
    zh: '五个字节的“hello”在向下的途中依次加上 UDP 首部、IPv4 首部和以太网首部,向上时再逐一去掉。',
  },
  intro: {
    en: 'Every host runs the same four layers: application, transport, internet and link. Going down, each layer wraps what it is given in its own header: data → UDP datagram → IP packet → Ethernet frame. Only frames travel on the link.\n\nGoing up, each layer reads its header, removes it and hands the rest to the layer above, until recvfrom() gives the program back exactly the five bytes that were sent. Click a packet to see its headers field by field.',
    zh: '每台主机都运行同样的四层:应用层、传输层、网际层和网络接口层。向下时,每一层都用自己的首部把收到的内容包起来:数据 → UDP 数据报 → IP 分组 → 以太网帧。链路上传送的只有帧。\n\n向上时,每一层读取并去掉自己的首部,把剩下的交给上一层,直到 recvfrom() 把发送的那五个字节原样交给程序。点击一个分组,可以逐个字段查看它的首部。',
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
  views: ['stack', 'packet', 'code', 'log'],
});
