import { useEffect, useRef } from 'react';
import { withBase } from './base';

/** One event of the signed-in stream (GET /api/v1/events/stream). */
export interface LiveEvent {
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  unitId: string | null;
  occurredAt: string;
  payload: Record<string, unknown>;
}

type Handler = (e: LiveEvent) => void;

/**
 * One shared EventSource per page for every component that listens, opened while at least one
 * listens. The browser reconnects by itself and resumes with Last-Event-ID.
 */
class LiveStream {
  private source: EventSource | null = null;
  private handlers = new Map<string, Set<Handler>>();
  private listening = new Set<string>();
  private users = 0;

  acquire(): void {
    this.users += 1;
    if (!this.source && typeof EventSource !== 'undefined') {
      this.source = new EventSource(withBase('/api/v1/events/stream'), { withCredentials: true });
      for (const type of this.handlers.keys()) this.listen(type);
    }
  }

  release(): void {
    this.users -= 1;
    if (this.users <= 0 && this.source) {
      this.source.close();
      this.source = null;
      this.listening.clear();
    }
  }

  on(type: string, h: Handler): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(h);
    this.listen(type);
    return () => set.delete(h);
  }

  private listen(type: string): void {
    if (!this.source || this.listening.has(type)) return;
    this.listening.add(type);
    this.source.addEventListener(type, (msg) => {
      let data: LiveEvent;
      try {
        data = JSON.parse((msg as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      for (const h of this.handlers.get(type) ?? []) h(data);
    });
  }
}

const stream = new LiveStream();

/** Calls `handler` for each live event of `type` while the component is mounted. */
export function useLiveEvent(type: string, handler: Handler): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    stream.acquire();
    const off = stream.on(type, (e) => ref.current(e));
    return () => {
      off();
      stream.release();
    };
  }, [type]);
}
