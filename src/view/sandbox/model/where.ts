/**
 * Where a validator problem is, in words: "hosts[1].programs[0].start_ms" → "client.py on
 * client › start delay". The validator's own message (English, with the path) is shown beside it.
 *
 * Pure: a function of the path, the document and a translator.
 */
import type { MsgKey, Translate } from '../../i18n/translate.ts';
import { placeOf, type SandboxDoc } from './doc.ts';

const FIELDS = new Set(['name', 'ip', 'cores', 'programs', 'code', 'user', 'start_ms', 'latency_ms', 'bandwidth', 'loss', 'seed', 'gil', 'hosts']);

export function whereText(path: string, doc: SandboxDoc, t: Translate): string {
  if (!path) return t('sandbox.where.scenario');
  const place = placeOf(path);
  const field = place.field === null ? null : FIELDS.has(place.field) ? t(`sandbox.field.${place.field}` as MsgKey) : place.field;
  let where: string;
  if (place.section === 'link') where = t('sandbox.where.link');
  else if (place.section === 'scenario') where = t('sandbox.where.scenario');
  else {
    const host = doc.hosts[place.host!];
    const hostName = host?.name || '?';
    if (place.section === 'program') {
      const p = host?.programs[place.program!];
      where = t('sandbox.where.program', { file: p?.name || '?', host: t.host(hostName) });
    } else where = t('sandbox.where.host', { n: place.host! + 1, name: t.host(hostName) });
  }
  return field ? `${where} › ${field}` : where;
}
