import { describe, expect, it } from 'vitest';
import { capacityView } from './capacity';

describe('capacity', () => {
  it('AnAgentsCapacityIsItsOwnOrItsTeams', () => {
    const teams = [
      { id: 'a', max_per_agent: 5 },
      { id: 'b', max_per_agent: 3 },
    ];
    expect(capacityView({ max_concurrent: 2, teams: ['a'] }, teams)).toEqual({ own: 2 });
    expect(capacityView({ max_concurrent: null, teams: ['a'] }, teams)).toEqual({ team: { min: 5, max: 5 } });
    expect(capacityView({ max_concurrent: null, teams: ['a', 'b'] }, teams)).toEqual({ team: { min: 3, max: 5 } });
    expect(capacityView({ max_concurrent: null, teams: [] }, teams)).toEqual({ team: null });
  });
});
