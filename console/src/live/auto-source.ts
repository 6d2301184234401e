import { realScheduler, type LiveHandlers, type LiveMode, type LiveSource, type Scheduler } from './source';

/**
 * AutoSource prefers the SSE stream and falls back to polling when the
 * stream cannot be opened (this build answers GET /v1/stream with 422
 * `unsupported`) or does not open in time. Once the stream has opened it
 * stays with it: EventSourceSource reconnects by itself.
 */
export class AutoSource implements LiveSource {
  private current: LiveSource | null = null;
  private opened = false;
  private timer: unknown = null;
  private readonly scheduler: Scheduler;
  private readonly openTimeoutMs: number;

  constructor(
    private readonly stream: () => LiveSource,
    private readonly polling: () => LiveSource,
    options: { scheduler?: Scheduler; openTimeoutMs?: number } = {},
  ) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.openTimeoutMs = options.openTimeoutMs ?? 10_000;
  }

  private running: 'stream' | 'polling' | null = null;

  /** Which source is running, for tests and diagnostics. */
  get kind(): 'stream' | 'polling' | null {
    return this.running;
  }

  start(handlers: LiveHandlers): void {
    const stream = this.stream();
    this.current = stream;
    this.running = 'stream';
    this.opened = false;
    const fallBack = () => {
      if (this.current !== stream || this.opened) {
        return;
      }
      this.clearTimer();
      stream.stop();
      const polling = this.polling();
      this.current = polling;
      this.running = 'polling';
      polling.start(handlers);
    };
    this.timer = this.scheduler.setTimeout(fallBack, this.openTimeoutMs);
    stream.start({
      onEvent: (e) => handlers.onEvent(e),
      onMode: (mode: LiveMode) => {
        if (mode === 'stream') {
          this.opened = true;
          this.clearTimer();
        }
        if (mode === 'offline' && !this.opened) {
          fallBack();
          return;
        }
        handlers.onMode(mode);
      },
    });
  }

  stop(): void {
    this.clearTimer();
    this.current?.stop();
    this.current = null;
    this.running = null;
  }

  poke(): void {
    this.current?.poke();
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.scheduler.clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
