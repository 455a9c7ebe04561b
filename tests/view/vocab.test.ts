import { describe, expect, it } from 'vitest';
import { fieldLabel, tcpStateGloss, tcpStateName } from '../../src/view/model/vocab.ts';
import { dissect, type Field } from '../../src/sim/net/dissect.ts';
import { LESSONS } from '../../src/lessons/index.ts';
import { lessonTrace } from './fixtures.ts';

describe('protocol vocabulary in Chinese', () => {
  it('translates field terms and keeps values', () => {
    expect(fieldLabel('Source Port: 40620', 'zh')).toBe('源端口: 40620');
    expect(fieldLabel('Source Port: 40620', 'en')).toBe('Source Port: 40620');
    expect(fieldLabel('Time to Live: 64', 'zh')).toBe('生存时间 (TTL): 64');
    expect(fieldLabel('.N.. .... = Don\'t fragment: Set'.replace('N', '1'), 'zh')).toBe('.1.. .... = 不分片 (DF): 置位');
    expect(fieldLabel('.... .... ..1. = Syn: Not set', 'zh')).toBe('.... .... ..1. = 同步 (SYN): 未置位');
    expect(fieldLabel('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2', 'zh')).toBe('网际协议第 4 版 (IPv4), 源: 10.0.0.1, 目的: 10.0.0.2');
    expect(fieldLabel('Transmission Control Protocol, Src Port: 40620, Dst Port: 8080, Seq: 0, Len: 0', 'zh')).toBe('传输控制协议 TCP, 源端口: 40620, 目的端口: 8080, 序号: 0, 长度: 0');
    expect(fieldLabel('Type: 3 (Destination unreachable)', 'zh')).toBe('类型: 3 (目的不可达)');
    expect(fieldLabel('Flags: 0x012 (SYN, ACK)', 'zh')).toBe('标志: 0x012 (SYN, ACK)');
    expect(fieldLabel('Opcode: reply (2)', 'zh')).toBe('操作码: 应答 (2)');
  });

  it('leaves no common English protocol term in any field of any lesson frame', () => {
    const english = /\b(Source|Destination|Port|Length|Protocol|Flags|Window|Checksum|Sequence|Acknowledgment|Header|Type|Version|Address|address|Options|Time|Data|Identification|Fragment|Hardware|Sender|Target|Opcode|Kind|Value|payload|Not set|Set|Src|Dst)\b/;
    const left = new Set<string>();
    for (const l of LESSONS) {
      for (const e of lessonTrace(l.id).events) {
        if (e.k !== 'wire') continue;
        const walk = (f: Field): void => {
          const zh = fieldLabel(f.label, 'zh');
          if (english.test(zh)) left.add(`${f.label} → ${zh}`);
          f.children?.forEach(walk);
        };
        dissect(e.bytes).layers.forEach(walk);
      }
    }
    expect([...left]).toEqual([]);
  });

  it('names TCP states in Chinese beside the netstat name', () => {
    expect(tcpStateName('TIME_WAIT', 'zh')).toBe('TIME_WAIT(时间等待)');
    expect(tcpStateName('TIME_WAIT', 'en')).toBe('TIME_WAIT');
    expect(tcpStateGloss('ESTABLISHED', 'zh')).toBe('已建立连接');
    expect(tcpStateGloss('ESTABLISHED', 'en')).toBeNull();
    expect(tcpStateName('UNKNOWN', 'zh')).toBe('UNKNOWN');
  });
});
