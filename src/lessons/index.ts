/** The built-in lessons, in teaching order. Pure data. */
import type { Lesson } from './lesson.ts';
import { encapsulation } from './catalogue/encapsulation.ts';
import { ipAddresses } from './catalogue/ipAddresses.ts';
import { ports } from './catalogue/ports.ts';
import { creatingSockets } from './catalogue/creatingSockets.ts';
import { udpEcho } from './catalogue/udpEcho.ts';
import { udpNoReceiver } from './catalogue/udpNoReceiver.ts';
import { bindErrors } from './catalogue/bindErrors.ts';
import { portConflict } from './catalogue/portConflict.ts';
import { tcpHandshake } from './catalogue/tcpHandshake.ts';
import { tcpRefused } from './catalogue/tcpRefused.ts';
import { timeWait } from './catalogue/timeWait.ts';
import { gilThreads } from './catalogue/gilThreads.ts';
import { oldGil } from './catalogue/oldGil.ts';
import { freeThreading } from './catalogue/freeThreading.ts';
import { convoyEffect } from './catalogue/convoyEffect.ts';
import { threadLocal } from './catalogue/threadLocal.ts';
import { asyncioTasks } from './catalogue/asyncioTasks.ts';
import { benchFlows } from './catalogue/benchFlows.ts';

export const LESSONS: readonly Lesson[] = [
  encapsulation,
  ipAddresses,
  ports,
  creatingSockets,
  udpEcho,
  udpNoReceiver,
  bindErrors,
  portConflict,
  tcpHandshake,
  tcpRefused,
  timeWait,
  gilThreads,
  oldGil,
  freeThreading,
  convoyEffect,
  threadLocal,
  asyncioTasks,
  benchFlows,
];

/** The lessons the list shows. */
export const LISTED_LESSONS: readonly Lesson[] = LESSONS.filter((l) => !l.hidden);

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

export type { Lesson, ViewId, Text } from './lesson.ts';
