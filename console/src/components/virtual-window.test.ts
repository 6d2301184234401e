import { describe, expect, it } from 'vitest';
import { computeWindow, nearEnd, scrollToShow } from './virtual-window';

const base = { rowHeight: 72, viewportHeight: 720, overscan: 3, count: 1000 };

describe('computeWindow', () => {
  it('RendersTheVisibleRowsPlusOverscan', () => {
    expect(computeWindow({ ...base, scrollTop: 0 })).toEqual({ start: 0, end: 14, offset: 0, total: 72_000 });
    expect(computeWindow({ ...base, scrollTop: 7200 })).toEqual({ start: 97, end: 114, offset: 97 * 72, total: 72_000 });
  });

  it('StaysInsideTheList', () => {
    expect(computeWindow({ ...base, count: 5, scrollTop: 0 })).toMatchObject({ start: 0, end: 5 });
    expect(computeWindow({ ...base, count: 20, scrollTop: 99_999 })).toMatchObject({ end: 20 });
    expect(computeWindow({ ...base, count: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0, offset: 0, total: 0 });
  });
});

describe('nearEnd', () => {
  it('IsTrueWithinTheThreshold', () => {
    const w = { ...base, count: 50 };
    expect(nearEnd({ ...w, scrollTop: 0 }, 5)).toBe(false);
    expect(nearEnd({ ...w, scrollTop: 50 * 72 - 720 - 5 * 72 }, 5)).toBe(true);
  });
});

describe('scrollToShow', () => {
  it('MovesAsLittleAsPossible', () => {
    expect(scrollToShow(0, 100, 720, 72)).toBe(0);
    expect(scrollToShow(5, 0, 720, 72)).toBe(0);
    expect(scrollToShow(12, 0, 720, 72)).toBe(13 * 72 - 720);
  });
});
