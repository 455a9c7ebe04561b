import { describe, expect, it } from 'vitest';
import { en } from '../../src/view/i18n/messages.en.ts';
import { zh } from '../../src/view/i18n/messages.zh.ts';
import { fill, formatDuration, formatTime, pickLang, translator } from '../../src/view/i18n/translate.ts';

const params = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('i18n', () => {
  it('has every English key in Chinese, with the same parameters', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(params(zh[k]), k).toEqual(params(en[k]));
  });

  it('uses the course’s Chinese layer names', () => {
    expect(zh['layer.applicationAlt']).toBe('应用层');
    expect(zh['layer.transportAlt']).toBe('传输层');
    expect(zh['layer.internetAlt']).toBe('网际层/网络层');
    expect(zh['layer.linkAlt']).toBe('网络接口层/链路层');
  });

  it('picks the language from the browser’s preferences', () => {
    expect(pickLang(['zh-CN', 'en'])).toBe('zh');
    expect(pickLang(['zh-Hant-TW'])).toBe('zh');
    expect(pickLang(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLang(['fr'])).toBe('en');
    expect(pickLang([])).toBe('en');
  });

  it('fills parameters and leaves unknown ones visible', () => {
    expect(fill('a {x} b {y}', { x: 1 })).toBe('a 1 b {y}');
    expect(translator('zh').host('client')).toBe('客户端');
    expect(translator('en').host('alice')).toBe('alice');
  });

  it('formats times exactly and durations roughly', () => {
    const t = translator('en');
    expect(formatTime(52, t)).toBe('52 µs');
    expect(formatTime(200_123, t)).toBe('200.123 ms');
    expect(formatTime(60_200_542, t)).toBe('60.200542 s');
    expect(formatDuration(59_800_000, t)).toBe('59.8 s');
    expect(formatDuration(199_997, t)).toBe('200 ms');
    expect(formatDuration(5_500, t)).toBe('5.5 ms');
    expect(formatDuration(1_000_000, translator('zh'))).toBe('1 秒');
  });
});
