/**
 * Protocol vocabulary in the reader's language. The dissector (src/sim/net/dissect.ts) labels
 * fields in Wireshark's English ("Source Port: 40620", "Time to Live: 64"), which is right for
 * English readers and what every student will meet in Wireshark; Chinese readers get the same
 * labels with the terms translated ("源端口: 40620", "生存时间 (TTL): 64"), values untouched, and
 * the views keep the English label at hand (a tooltip). TCP states get their usual Chinese names
 * beside the RFC/netstat name.
 *
 * Pure: strings in, strings out.
 */
import type { TcpState } from '../../sim/trace.ts';
import type { Lang } from '../i18n/translate.ts';

/** English term → Chinese, longest and most specific first (applied in this order, whole words only). */
const ZH_TERMS: readonly [string, string][] = [
  ['Transmission Control Protocol', '传输控制协议 TCP'],
  ['User Datagram Protocol', '用户数据报协议 UDP'],
  ['Internet Control Message Protocol', '网际控制报文协议 ICMP'],
  ['Address Resolution Protocol', '地址解析协议 ARP'],
  ['Ethernet II', '以太网 II'],
  ['Locally administered address (this is NOT the factory default)', '本地管理的地址(不是出厂默认地址)'],
  ['Globally unique address (factory default)', '全球唯一地址(出厂默认)'],
  ['Individual address (unicast)', '单个地址(单播)'],
  ['Group address (multicast/broadcast)', '组地址(多播/广播)'],
  ['IG bit', 'I/G 位'],
  ['LG bit', 'L/G 位'],
  ['Differentiated Services Codepoint', '区分服务码点 (DSCP)'],
  ['Differentiated Services Field', '区分服务字段'],
  ['Not ECN-Capable Transport', '不支持 ECN 的传输'],
  ['Explicit Congestion Notification', '显式拥塞通知 (ECN)'],
  ['Congestion Window Reduced', '拥塞窗口减小 (CWR)'],
  ['Accurate ECN', '精确 ECN (AE)'],
  ['ECN-Echo', 'ECN 回显 (ECE)'],
  ['Class Selector', '类选择器'],
  ['Window size scaling factor', '窗口缩放因子'],
  ['Calculated window size', '计算出的窗口大小'],
  ['Acknowledgment number (raw)', '确认号(原始值)'],
  ['Acknowledgment Number', '确认号'],
  ['Sequence Number (raw)', '序号(原始值)'],
  ['Next Sequence Number', '下一个序号'],
  ['Sequence Number', '序号'],
  ['Acknowledgment', '确认 (ACK)'],
  ['Header checksum status', '首部校验和状态'],
  ['Header Checksum', '首部校验和'],
  ['Calculated Checksum', '计算出的校验和'],
  ['Checksum Status', '校验和状态'],
  ['Checksum', '校验和'],
  ['Header Length', '首部长度'],
  ['Total Length', '总长度'],
  ['Time to Live', '生存时间 (TTL)'],
  ['Identification', '标识'],
  ['Fragment Offset', '片偏移'],
  ["Don't fragment", '不分片 (DF)'],
  ['More fragments', '还有分片 (MF)'],
  ['Reserved bit', '保留位'],
  ['Reserved', '保留'],
  ['Source Address', '源地址'],
  ['Destination Address', '目的地址'],
  ['Source Port', '源端口'],
  ['Destination Port', '目的端口'],
  ['Destination unreachable', '目的不可达'],
  ['Port unreachable', '端口不可达'],
  ['Host unreachable', '主机不可达'],
  ['Echo (ping) request', '回显请求 (ping)'],
  ['Echo (ping) reply', '回显应答 (ping)'],
  ['Src Port', '源端口'],
  ['Dst Port', '目的端口'],
  ['Source', '源'],
  ['Destination', '目的'],
  ['Src', '源'],
  ['Dst', '目的'],
  ['Seq', '序号'],
  ['Ack', '确认号'],
  ['Len', '长度'],
  ['TCP Segment Len', 'TCP 报文段长度'],
  ['TCP payload', 'TCP 载荷'],
  ['UDP payload', 'UDP 载荷'],
  ['TCP Option -', 'TCP 选项 -'],
  ['TCP Flags', 'TCP 标志'],
  ['Maximum segment size', '最大报文段长度 (MSS)'],
  ['Maximum Segment Size', '最大报文段长度 (MSS)'],
  ['MSS Value', 'MSS 值'],
  ['No-Operation', '无操作'],
  ['SACK permitted', '允许 SACK'],
  ['SACK Permitted', '允许 SACK'],
  ['Time Stamp Option', '时间戳选项'],
  ['Timestamp echo reply', '时间戳回显应答'],
  ['Timestamp value', '时间戳值'],
  ['Timestamps', '时间戳'],
  ['Window Scale', '窗口缩放'],
  ['Window scale', '窗口缩放'],
  ['multiply by', '乘以'],
  ['Shift count', '移位数'],
  ['Multiplier', '乘数'],
  ['Urgent Pointer', '紧急指针'],
  ['Urgent', '紧急 (URG)'],
  ['Push', '推送 (PSH)'],
  ['Reset', '复位 (RST)'],
  ['Syn', '同步 (SYN)'],
  ['Fin', '终止 (FIN)'],
  ['Window', '窗口'],
  ['Options', '选项'],
  ['Flags', '标志'],
  ['Version', '版本'],
  ['Protocol type', '协议类型'],
  ['Protocol size', '协议地址长度'],
  ['Protocol', '协议'],
  ['Hardware type', '硬件类型'],
  ['Hardware size', '硬件地址长度'],
  ['Opcode', '操作码'],
  ['Sender MAC address', '发送方 MAC 地址'],
  ['Sender IP address', '发送方 IP 地址'],
  ['Target MAC address', '目标 MAC 地址'],
  ['Target IP address', '目标 IP 地址'],
  ['Gateway Address', '网关地址'],
  ['MTU of next hop', '下一跳的 MTU'],
  ['Identifier', '标识符'],
  ['Pointer', '指针'],
  ['Unused', '未使用'],
  ['Padding', '填充'],
  ['Trailer', '尾部'],
  ['Payload', '载荷'],
  ['Data', '数据'],
  ['Length', '长度'],
  ['Kind', '类型'],
  ['Type', '类型'],
  ['Code', '代码'],
  ['Default', '默认'],
  ['Good', '正确'],
  ['Bad', '错误'],
  ['Not set', '未置位'],
  ['Set', '置位'],
  ['request', '请求'],
  ['reply', '应答'],
  ['unknown', '未知'],
  ['bytes', '字节'],
  ['byte', '字节'],
  ['correct', '正确'],
  ['incorrect', '错误'],
];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One pass over the label: at each position the first (longest, most specific) term that matches as whole words. */
const ZH_PATTERN = new RegExp(
  ZH_TERMS.map(([en]) => `${/^\w/.test(en) ? '(?<![\\w-])' : ''}${escape(en)}${/\w$/.test(en) ? '(?![\\w-])' : ''}`).join('|'),
  'g',
);
const ZH_MAP = new Map(ZH_TERMS);

/** A dissector label in the reader's language (values, numbers and addresses unchanged). */
export function fieldLabel(label: string, lang: Lang): string {
  if (lang === 'en') return label;
  return label.replace(/Internet Protocol Version (\d)/g, '网际协议第 $1 版 (IPv$1)').replace(ZH_PATTERN, (m) => ZH_MAP.get(m) ?? m);
}

const ZH_STATES: Record<TcpState, string> = {
  CLOSED: '关闭',
  LISTEN: '监听',
  SYN_SENT: '已发送 SYN',
  SYN_RECV: '已收到 SYN',
  ESTABLISHED: '已建立连接',
  FIN_WAIT1: '终止等待 1',
  FIN_WAIT2: '终止等待 2',
  CLOSE_WAIT: '关闭等待',
  CLOSING: '双方同时关闭',
  LAST_ACK: '最后确认',
  TIME_WAIT: '时间等待',
};

/** A TCP state's name in the reader's language: Chinese readers get "TIME_WAIT(时间等待)" — the netstat name stays. */
export function tcpStateName(state: string, lang: Lang): string {
  if (lang === 'en') return state;
  const zh = ZH_STATES[state as TcpState];
  return zh ? `${state}(${zh})` : state;
}

/** Only the Chinese name of a state (for a second line under the RFC figure's English one), or null. */
export function tcpStateGloss(state: string, lang: Lang): string | null {
  return lang === 'zh' ? (ZH_STATES[state as TcpState] ?? null) : null;
}
