import { LIVE_EVENT_TYPES, parseStreamEvent } from './events';
import { realScheduler, type LiveHandlers, type LiveMode, type LiveSource, type Scheduler } from './source';

/**
 * EventSourceSource follows GET /v1/stream (Server-Sent Events) with the
 * browser's EventSource. The token rides in `?access_token=` (EventSource
 * sends no headers). The browser itself reconnects with the Last-Event-ID
 * header; when it gives up (readyState CLOSED) we open a new one with
 * `?last_event_id=` after a back-off, so nothing is missed or seen twice.
 *
 * The first connection has no position: whatever changed between the
 * screens' GETs and the stream's start is unknown, so it reports `reset`
 * once open and the store reloads.
 */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

const CLOSED = 2;

export interface EventSourceOptions {
  scheduler?: Scheduler;
  factory?: EventSourceFactory;
  /** First delay before a new connection after the browser gave up. */
  retryMs?: number;
  maxRetryMs?: number;
}

export class EventSourceSource implements LiveSource {
  private handlers: LiveHandlers | null = null;
  private es: EventSourceLike | null = null;
  private lastEventId: string | null = null;
  private retryTimer: unknown = null;
  private retryMs: number;
  private mode: LiveMode | null = null;
  private readonly scheduler: Scheduler;
  private readonly factory: EventSourceFactory;
  private readonly baseRetryMs: number;
  private readonly maxRetryMs: number;

  /** url(lastEventId): the stream URL with the token, resuming after lastEventId. */
  constructor(
    private readonly url: (lastEventId: string | null) => string,
    options: EventSourceOptions = {},
  ) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.factory = options.factory ?? ((u) => new EventSource(u) as unknown as EventSourceLike);
    this.baseRetryMs = options.retryMs ?? 1000;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.retryMs = this.baseRetryMs;
  }

  /** The position of the last event received (for tests and diagnostics). */
  get position(): string | null {
    return this.lastEventId;
  }

  start(handlers: LiveHandlers): void {
    this.handlers = handlers;
    this.connect();
  }

  stop(): void {
    this.handlers = null;
    this.es?.close();
    this.es = null;
    if (this.retryTimer !== null) {
      this.scheduler.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  poke(): void {
    // The stream pushes; there is nothing to ask.
  }

  private setMode(mode: LiveMode): void {
    if (mode !== this.mode) {
      this.mode = mode;
      this.handlers?.onMode(mode);
    }
  }

  private connect(): void {
    this.setMode('connecting');
    const resuming = this.lastEventId !== null;
    const es = this.factory(this.url(this.lastEventId));
    this.es = es;
    es.onopen = () => {
      if (this.es !== es) {
        return;
      }
      this.retryMs = this.baseRetryMs;
      this.setMode('stream');
      if (!resuming && this.lastEventId === null) {
        this.handlers?.onEvent({ type: 'reset' });
      }
    };
    es.onerror = () => {
      if (this.es !== es) {
        return;
      }
      if (es.readyState === CLOSED) {
        es.close();
        this.es = null;
        this.setMode('offline');
        this.retryTimer = this.scheduler.setTimeout(() => {
          this.retryTimer = null;
          if (this.handlers) {
            this.connect();
          }
        }, this.retryMs);
        this.retryMs = Math.min(this.maxRetryMs, this.retryMs * 2);
      } else {
        this.setMode('connecting');
      }
    };
    for (const type of LIVE_EVENT_TYPES) {
      es.addEventListener(type, (ev: MessageEvent) => {
        if (this.es !== es) {
          return;
        }
        if (ev.lastEventId) {
          this.lastEventId = ev.lastEventId;
        }
        const event = parseStreamEvent(type, typeof ev.data === 'string' ? ev.data : '');
        if (event) {
          this.handlers?.onEvent(event);
        }
      });
    }
  }
}
