import type { LiveEvent } from './events';

/**
 * LiveSource is where live changes come from. The store starts one and
 * applies what it reports; screens never see which kind it is, so the SSE
 * stream can replace polling without touching them.
 *
 *   source.start({ onEvent: (e) => store.apply(e), onMode: (m) => store.live.value = m });
 */
export interface LiveSource {
  start(handlers: LiveHandlers): void;
  stop(): void;
  /** Look for changes now (after a command), where that means anything. */
  poke(): void;
}

/** How the console follows changes now, for the header's indicator. */
export type LiveMode = 'connecting' | 'stream' | 'polling' | 'offline';

export interface LiveHandlers {
  onEvent(event: LiveEvent): void;
  onMode(mode: LiveMode): void;
}

/** setTimeout and clearTimeout, injectable so tests run no real timers. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};
