import type { Scheduler } from '../live/source';

/** A Scheduler whose timers run only when a test says so. */
export class FakeScheduler implements Scheduler {
  private next = 1;
  readonly timers = new Map<number, { fn: () => void; ms: number }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { fn, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Run every timer pending now (not those they set). */
  runAll(): void {
    const due = [...this.timers.entries()];
    this.timers.clear();
    for (const [, t] of due) {
      t.fn();
    }
  }

  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }
}
