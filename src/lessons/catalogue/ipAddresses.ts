/** Lesson: an IPv4 address has a network part and a host part, split by the netmask. */
import { defineLesson } from '../lesson.ts';

const server = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.bind(("", 5000))
data, addr = s.recvfrom(1024)
print("from", addr[0], ":", data)
s.close()
`;

const client = `from socket import *

s = socket(AF_INET, SOCK_DGRAM)
s.sendto(b"same network?", ("172.16.200.5", 5000))
s.close()
`;

export const ipAddresses = defineLesson({
  id: 'ip-addresses',
  title: { en: 'IP addresses: network part and host part', zh: 'IP 地址:网络号与主机号' },
  summary: {
    en: 'A netmask splits 32 bits into a network part and a host part; hosts with the same network part talk directly.',
    zh: '子网掩码把 32 位分成网络号和主机号;网络号相同的主机可以直接通信。',
  },
  intro: {
    en: 'The two hosts are 172.16.1.10 and 172.16.200.5 with netmask 255.255.0.0 (/16): the first 16 bits are the network part, the last 16 the host part. Both network parts are 172.16, so the client reaches the server directly on the link: it only needs the server’s MAC address (ARP).\n\n172.16.0.0/12 is one of the private ranges of RFC 1918, and 172 starts with the bits 10, which made it a class B address in the old classful scheme. Try other addresses and prefixes in the IP view.',
    zh: '两台主机的地址是 172.16.1.10 和 172.16.200.5,子网掩码 255.255.0.0(/16):前 16 位是网络号,后 16 位是主机号。两者的网络号都是 172.16,所以客户端可以在链路上直接到达服务器:只需要知道服务器的 MAC 地址(ARP)。\n\n172.16.0.0/12 是 RFC 1918 规定的私有地址段之一;172 的二进制以 10 开头,在旧的分类编址中属于 B 类地址。可以在“IP 地址”视图里试试其他地址和前缀。',
  },
  files: { 'client.py': client, 'server.py': server },
  scenario: {
    seed: 1,
    hosts: [
      { name: 'server', ip: '172.16.200.5', netmask: '255.255.0.0', programs: [{ path: 'server.py' }] },
      { name: 'client', ip: '172.16.1.10', netmask: '255.255.0.0', programs: [{ path: 'client.py', start_ms: 200 }] },
    ],
    link: { mtu: 1500, latency_ms: 0.05 },
  },
  views: ['ip', 'stack', 'packet', 'code'],
});
