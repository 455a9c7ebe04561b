import { describe, expect, it } from 'vitest';
import {
  broadcastAddress,
  formatIPv4,
  formatMac,
  ipv4Bytes,
  ipv4Class,
  ipv4Kind,
  maskToPrefix,
  networkAddress,
  parseIPv4,
  parseMac,
  prefixToMask,
  sameSubnet,
} from '../../../src/sim/net/addr.ts';

const ip = (s: string): number => {
  const n = parseIPv4(s);
  if (n === null) throw new Error(`bad test address ${s}`);
  return n;
};

describe('IPv4 addresses', () => {
  it('parses strict dotted quads to unsigned numbers', () => {
    expect(parseIPv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('192.168.1.200')).toBe(0xc0a801c8);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1.2.3.-4', '+1.2.3.4', '1.2.3.+4', '01.2.3.4', '1.2.3.04', ' 1.2.3.4',
    '1.2.3.4 ', '1..3.4', '1.2.3.', '.1.2.3', '1.2.3.4a', '0x1.2.3.4', '1.2.3.1000', '１.2.3.4'])('refuses %j', (s) => {
    expect(parseIPv4(s)).toBeNull();
  });

  it('formats and converts to bytes', () => {
    expect(formatIPv4(0xc0a801c8)).toBe('192.168.1.200');
    expect(formatIPv4(0xffffffff)).toBe('255.255.255.255');
    expect(Array.from(ipv4Bytes(0x0a000102))).toEqual([10, 0, 1, 2]);
  });

  it('converts masks and prefixes', () => {
    expect(maskToPrefix(ip('255.255.255.0'))).toBe(24);
    expect(maskToPrefix(ip('255.255.240.0'))).toBe(20);
    expect(maskToPrefix(0)).toBe(0);
    expect(maskToPrefix(0xffffffff)).toBe(32);
    expect(maskToPrefix(ip('255.0.255.0'))).toBeNull();
    expect(maskToPrefix(ip('0.255.255.255'))).toBeNull();
    expect(formatIPv4(prefixToMask(24))).toBe('255.255.255.0');
    expect(prefixToMask(0)).toBe(0);
    expect(prefixToMask(32)).toBe(0xffffffff);
    expect(formatIPv4(prefixToMask(12))).toBe('255.240.0.0');
    expect(() => prefixToMask(33)).toThrow(RangeError);
    for (let p = 0; p <= 32; p++) expect(maskToPrefix(prefixToMask(p))).toBe(p);
  });

  it('does subnet arithmetic', () => {
    const mask = prefixToMask(24);
    expect(sameSubnet(ip('10.0.0.1'), ip('10.0.0.254'), mask)).toBe(true);
    expect(sameSubnet(ip('10.0.0.1'), ip('10.0.1.1'), mask)).toBe(false);
    expect(sameSubnet(ip('200.0.0.1'), ip('200.0.0.9'), prefixToMask(29))).toBe(false);
    expect(formatIPv4(networkAddress(ip('192.168.5.77'), prefixToMask(20)))).toBe('192.168.0.0');
    expect(formatIPv4(broadcastAddress(ip('192.168.5.77'), prefixToMask(20)))).toBe('192.168.15.255');
    expect(formatIPv4(broadcastAddress(ip('10.0.0.1'), 0))).toBe('255.255.255.255');
  });

  it('classifies by class', () => {
    expect(['1.0.0.0', '127.255.255.255', '128.0.0.0', '191.255.0.1', '192.0.0.0', '223.1.1.1', '224.0.0.1', '239.9.9.9', '240.0.0.1', '255.255.255.255'].map((s) => ipv4Class(ip(s)))).toEqual(
      ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E'],
    );
  });

  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['172.15.255.255', 'public'],
    ['192.168.0.1', 'private'],
    ['192.169.0.1', 'public'],
    ['169.254.10.20', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['100.128.0.0', 'public'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.5', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
  ])('%s is %s', (s, kind) => {
    expect(ipv4Kind(ip(s))).toBe(kind);
  });
});

describe('MAC addresses', () => {
  it('parses and formats', () => {
    expect(Array.from(parseMac('02:00:0a:00:00:01')!)).toEqual([2, 0, 10, 0, 0, 1]);
    expect(Array.from(parseMac('FF-FF-FF-FF-FF-FF')!)).toEqual([255, 255, 255, 255, 255, 255]);
    expect(formatMac(new Uint8Array([2, 0, 0xa, 0, 0, 1]))).toBe('02:00:0a:00:00:01');
    expect(formatMac(new Uint8Array([9, 9, 0xde, 0xad, 0xbe, 0xef, 0, 1]), 2)).toBe('de:ad:be:ef:00:01');
  });

  it.each(['', '02:00:0a:00:00', '02:00:0a:00:00:01:02', '02:00:0a:00:00:0g', '02-00:0a:00:00:01', '2:0:a:0:0:1', '0200.0a00.0001'])(
    'refuses %j',
    (s) => {
      expect(parseMac(s)).toBeNull();
    },
  );
});
