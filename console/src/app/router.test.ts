import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './router';

describe('router', () => {
  it('ParsesTheRoutes', () => {
    expect(parseRoute('#/inbox')).toEqual({ name: 'inbox', params: {} });
    expect(parseRoute('#/inbox/c25')).toEqual({ name: 'conversation', params: { id: 'c25' } });
    expect(parseRoute('#/new')).toEqual({ name: 'new-conversation', params: {} });
  });

  it('UnknownOrEmptyHashesGoToTheInbox', () => {
    expect(parseRoute('')).toEqual({ name: 'inbox', params: {} });
    expect(parseRoute('#/nothing/here/at/all')).toEqual({ name: 'inbox', params: {} });
  });

  it('IdsRoundTrip', () => {
    const link = href('conversation', { id: 'c:1/2' });
    expect(link).toBe('#/inbox/c%3A1%2F2');
    expect(parseRoute(link).params.id).toBe('c:1/2');
  });

  it('AdministrationIsForAdminsOnly', () => {
    expect(parseRoute('#/admin/board', 'admin')).toEqual({ name: 'admin-board', params: {} });
    expect(parseRoute('#/admin/settings/teams', 'admin')).toEqual({ name: 'admin-settings', params: { section: 'teams' } });
    expect(parseRoute('#/admin/board', 'agent')).toEqual({ name: 'inbox', params: {} });
    expect(parseRoute('#/admin/portfolios', null)).toEqual({ name: 'inbox', params: {} });
  });
});
