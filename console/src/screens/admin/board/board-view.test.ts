import { describe, expect, it } from 'vitest';
import type { AgentBoard, Team } from '../../../api/types';
import { agentRow, boardOrder, capacityOf } from './board-view';

const NOW = Date.parse('2026-11-21T15:00:00.000Z');
const teams: Team[] = [
  { id: 'sup', name: 'Suporte', distribution: 'manual', max_per_agent: 5, require_reason: false },
  { id: 'ven', name: 'Vendas', distribution: 'manual', max_per_agent: 8, require_reason: false },
];
const lunch = { id: 'almoco', name: 'Almoço', max_minutes: 60, allowed_from: null };

function agent(over: Partial<AgentBoard>): AgentBoard {
  return { id: 'ana', name: 'Ana', role: 'agent', teams: ['sup'], max_concurrent: null, status: 'online', pause: null, open_count: 0, ...over };
}

describe('board view', () => {
  it('ThePauseBecomesOverdueWhenTheClockPassesItsMaximum', () => {
    const paused = agent({ pause: { type: 'almoco', since: new Date(NOW - 59 * 60_000).toISOString(), overdue: false } });
    expect(agentRow(paused, [lunch], teams, NOW).pause).toEqual({ type: 'Almoço', minutes: 59, max: 60, overdue: false });
    expect(agentRow(paused, [lunch], teams, NOW + 2 * 60_000).pause).toEqual({ type: 'Almoço', minutes: 61, max: 60, overdue: true });
  });

  it('CapacityIsTheAgentsOwnOrItsTeams', () => {
    expect(capacityOf(agent({ max_concurrent: 3 }), teams)).toEqual({ min: 3, max: 3 });
    expect(capacityOf(agent({ teams: ['sup', 'ven'] }), teams)).toEqual({ min: 5, max: 8 });
    expect(capacityOf(agent({ teams: [] }), teams)).toBeNull();
    expect(agentRow(agent({ open_count: 5 }), [], teams, NOW).full).toBe(true);
    expect(agentRow(agent({ open_count: 4 }), [], teams, NOW).full).toBe(false);
  });

  it('OverduePausesComeFirst', () => {
    const rows = [
      agentRow(agent({ id: 'a', name: 'Ana', status: 'offline' }), [lunch], teams, NOW),
      agentRow(agent({ id: 'b', name: 'Bia' }), [lunch], teams, NOW),
      agentRow(agent({ id: 'c', name: 'Caio', pause: { type: 'almoco', since: new Date(NOW - 10 * 60_000).toISOString(), overdue: false } }), [lunch], teams, NOW),
      agentRow(agent({ id: 'd', name: 'Duda', pause: { type: 'almoco', since: new Date(NOW - 90 * 60_000).toISOString(), overdue: false } }), [lunch], teams, NOW),
    ];
    expect(rows.sort(boardOrder).map((r) => r.name)).toEqual(['Duda', 'Caio', 'Bia', 'Ana']);
  });
});
