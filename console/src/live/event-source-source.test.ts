import { describe, expect, it } from 'vitest';
import { FakeScheduler } from '../test/fake-scheduler';
import { conv } from '../test/fixtures';
import { AutoSource } from './auto-source';
import type { LiveEvent } from './events';
import { EventSourceSource, type EventSourceLike } from './event-source-source';
import type { LiveHandlers, LiveMode, LiveSource } from './source';

class FakeEventSource implements EventSourceLike {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  listeners = new Map<string, Array<(ev: MessageEvent) => void>>();
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }

  addEventListener(type: string, fn: (ev: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  send(type: string, data: unknown, id: string): void {
    const ev = new MessageEvent(type, { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId: id });
    for (const fn of this.listeners.get(type) ?? []) {
      fn(ev);
    }
  }

  fail(closed: boolean): void {
    this.readyState = closed ? 2 : 0;
    this.onerror?.(new Event('error'));
  }
}

function setup() {
  FakeEventSource.all = [];
  const scheduler = new FakeScheduler();
  const events: LiveEvent[] = [];
  const modes: LiveMode[] = [];
  const source = new EventSourceSource(
    (last) => `/v1/stream?access_token=tok${last ? `&last_event_id=${last}` : ''}`,
    { scheduler, factory: (url) => new FakeEventSource(url), retryMs: 1000 },
  );
  source.start({ onEvent: (e) => events.push(e), onMode: (m) => modes.push(m) });
  return { scheduler, events, modes, source, es: () => FakeEventSource.all.at(-1)! };
}

describe('EventSourceSource', () => {
  it('OpensTheStreamWithTheTokenInTheQuery', () => {
    const { es } = setup();
    expect(es().url).toBe('/v1/stream?access_token=tok');
  });

  it('AFirstOpenAsksForAReloadBecauseNothingIsResumed', () => {
    const { es, events, modes } = setup();
    es().open();
    expect(events).toEqual([{ type: 'reset' }]);
    expect(modes).toEqual(['connecting', 'stream']);
  });

  it('DispatchesEventsAndTracksThePosition', () => {
    const { es, events, source } = setup();
    es().open();
    es().send('conversation.updated', conv('c1'), '41');
    es().send('counts', { all: 1, mine: 0, unassigned: 1 }, '42');
    es().send('reset', '', '43');
    expect(events.map((e) => e.type)).toEqual(['reset', 'conversation.updated', 'counts', 'reset']);
    expect(source.position).toBe('43');
  });

  it('ResumesFromTheLastEventWhenTheBrowserGivesUp', () => {
    const { es, scheduler, events, modes } = setup();
    es().open();
    es().send('conversation.removed', { id: 'c1' }, '7');
    es().fail(true);
    expect(modes.at(-1)).toBe('offline');
    expect(scheduler.pending).toEqual([1000]);
    scheduler.runAll();
    expect(es().url).toBe('/v1/stream?access_token=tok&last_event_id=7');
    es().open();
    // resumed: no reload
    expect(events.filter((e) => e.type === 'reset')).toHaveLength(1);
    expect(modes.at(-1)).toBe('stream');
  });

  it('BacksOffBetweenFailedConnections', () => {
    const { es, scheduler } = setup();
    es().fail(true);
    scheduler.runAll();
    es().fail(true);
    expect(scheduler.pending).toEqual([2000]);
  });

  it('LetsTheBrowserRetryWhileItIsConnecting', () => {
    const { es, scheduler, modes } = setup();
    es().open();
    es().fail(false);
    expect(modes.at(-1)).toBe('connecting');
    expect(scheduler.pending).toEqual([]);
  });

  it('StopClosesTheConnection', () => {
    const { es, source, events } = setup();
    const first = es();
    source.stop();
    expect(first.closed).toBe(true);
    first.send('counts', { all: 1, mine: 0, unassigned: 0 }, '1');
    expect(events).toEqual([]);
  });
});

describe('AutoSource', () => {
  class Stub implements LiveSource {
    handlers: LiveHandlers | null = null;
    stopped = false;
    start(h: LiveHandlers): void {
      this.handlers = h;
    }
    stop(): void {
      this.stopped = true;
    }
    poke(): void {}
  }

  function auto() {
    const scheduler = new FakeScheduler();
    const stream = new Stub();
    const polling = new Stub();
    const modes: LiveMode[] = [];
    const source = new AutoSource(() => stream, () => polling, { scheduler, openTimeoutMs: 10_000 });
    source.start({ onEvent: () => {}, onMode: (m) => modes.push(m) });
    return { scheduler, stream, polling, source, modes };
  }

  it('FallsBackToPollingWhenTheStreamIsRefused', () => {
    const { stream, polling, source, modes } = auto();
    stream.handlers!.onMode('connecting');
    stream.handlers!.onMode('offline');
    expect(stream.stopped).toBe(true);
    expect(polling.handlers).not.toBeNull();
    expect(source.kind).toBe('polling');
    expect(modes).toEqual(['connecting']);
  });

  it('FallsBackWhenTheStreamDoesNotOpenInTime', () => {
    const { scheduler, polling, source } = auto();
    scheduler.runAll();
    expect(polling.handlers).not.toBeNull();
    expect(source.kind).toBe('polling');
  });

  it('StaysWithTheStreamOnceOpen', () => {
    const { scheduler, stream, polling, source, modes } = auto();
    stream.handlers!.onMode('stream');
    stream.handlers!.onMode('offline');
    expect(scheduler.pending).toEqual([]);
    expect(polling.handlers).toBeNull();
    expect(source.kind).toBe('stream');
    expect(modes).toEqual(['stream', 'offline']);
  });
});
