import { useEffect, useRef } from 'react';
import { withBase } from '../../app/base';

import type { z } from 'zod';
import type {
  DisplayService as DisplayServiceSchema,
  FacilityView,
  PatientSummary as PatientSummarySchema,
  QueueVisit as QueueVisitSchema,
  RELATIONS as RELATION_LIST,
  ServiceDay as ServiceDaySchema,
  VISIT_STATUSES,
  VisitView,
} from '../../../../common/health/contracts';
import type {
  DrugView,
  PrescriptionSummary as PrescriptionSummarySchema,
  PrescriptionView,
  StockBatch as StockBatchSchema,
  StockItem as StockItemSchema,
  StockMove as StockMoveSchema,
} from '../../../../common/health/pharmacy';

// The API's shapes, from the contracts the server validates with (types only: no zod in the page).
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export type Sex = 'male' | 'female';
export type Relation = (typeof RELATION_LIST)[number];
export const RELATIONS: Relation[] = ['self', 'spouse', 'child', 'parent', 'sibling', 'other'];
export type Facility = z.infer<typeof FacilityView>;
export type ServiceDay = z.infer<typeof ServiceDaySchema>;
export type PatientSummary = z.infer<typeof PatientSummarySchema>;
/** A resident's visit; its own page also gets the number being served. */
export type Visit = z.infer<typeof VisitView> & { nowServing?: string | null };
export type QueueVisit = z.infer<typeof QueueVisitSchema>;
export type DisplayService = z.infer<typeof DisplayServiceSchema>;
export type Drug = z.infer<typeof DrugView>;
export type Prescription = z.infer<typeof PrescriptionView>;
export type PrescriptionSummary = z.infer<typeof PrescriptionSummarySchema>;
export type StockItem = z.infer<typeof StockItemSchema>;
export type StockBatch = z.infer<typeof StockBatchSchema>;
export type StockMove = z.infer<typeof StockMoveSchema>;
export interface DrugStock {
  stock: StockItem;
  batches: StockBatch[];
  moves: StockMove[];
}

export interface DeskFacility {
  id: string;
  name: string;
  services: { id: string; name: string; kind: 'poli' | 'pharmacy'; queuePrefix: string }[];
}

export const STATUS_COLORS: Record<VisitStatus, string> = {
  booked: 'blue',
  checked_in: 'cyan',
  called: 'orange',
  serving: 'grape',
  done: 'green',
  no_show: 'gray',
  cancelled: 'gray',
};

/** Statuses of a visit that still waits or is being served. */
export const ACTIVE: VisitStatus[] = ['booked', 'checked_in', 'called', 'serving'];

/** The events of a facility's queue on its public stream (numbers only). */
export const QUEUE_EVENTS = [
  'health.visit.registered',
  'health.visit.cancelled',
  'health.visit.check_in',
  'health.visit.call',
  'health.visit.recall',
  'health.visit.skip',
  'health.visit.start',
  'health.visit.finish',
  'health.visit.transferred',
] as const;

export interface QueueEvent {
  type: (typeof QUEUE_EVENTS)[number];
  payload: { queueCode?: string; serviceId?: string; date?: string; to?: string };
}

/**
 * Listens to a facility's queue on the public stream (no sign-in needed: the TV display and the
 * patient's page). The browser reconnects by itself and resumes with Last-Event-ID; `onOpen` runs
 * on each (re)connection so the page can reload what it may have missed.
 */
export function useQueueStream(facilityId: string | undefined, onEvent: (e: QueueEvent) => void, onOpen?: () => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const opened = useRef(onOpen);
  opened.current = onOpen;
  useEffect(() => {
    if (!facilityId || typeof EventSource === 'undefined') return;
    const source = new EventSource(withBase(`/api/v1/public/events/stream?topic=${encodeURIComponent(`queue.${facilityId}`)}`));
    for (const type of QUEUE_EVENTS) {
      source.addEventListener(type, (msg) => {
        try {
          const data = JSON.parse((msg as MessageEvent<string>).data) as { payload?: QueueEvent['payload'] };
          handler.current({ type, payload: data.payload ?? {} });
        } catch {
          // A malformed frame: ignore it, the next reload catches up.
        }
      });
    }
    source.addEventListener('reset', () => opened.current?.());
    source.onopen = () => opened.current?.();
    return () => source.close();
  }, [facilityId]);
}

/** Runs `fn` at most once per `ms`, the last call of a burst included (many events, one reload). */
export function useThrottled(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | null }>({ last: 0, timer: null });
  useEffect(() => () => {
    if (state.current.timer) clearTimeout(state.current.timer);
  }, []);
  return () => {
    const s = state.current;
    if (s.timer) return;
    const wait = Math.max(0, s.last + ms - Date.now());
    s.timer = setTimeout(() => {
      s.timer = null;
      s.last = Date.now();
      ref.current();
    }, wait);
  };
}

/** HH:MM of an instant in a time zone (the estimate as a clock time). */
export function clockTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('id-ID', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso)).replace('.', ':');
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}
