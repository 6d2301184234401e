import type { Agent, Team } from '../api/types';

// An agent's capacity (docs/api.md, Capacity): the most open conversations
// it may hold. The board and the agents' settings both read it from here.

/** An agent's capacity: its own, or its teams' (a range when they differ; null without teams). */
export type CapacityView = { own: number } | { team: { min: number; max: number } | null };

export function capacityView(agent: Pick<Agent, 'max_concurrent' | 'teams'>, teams: readonly Pick<Team, 'id' | 'max_per_agent'>[]): CapacityView {
  if (agent.max_concurrent !== null && agent.max_concurrent !== undefined) {
    return { own: agent.max_concurrent };
  }
  const caps = agent.teams.map((id) => teams.find((t) => t.id === id)?.max_per_agent).filter((n): n is number => typeof n === 'number');
  if (caps.length === 0) {
    return { team: null };
  }
  return { team: { min: Math.min(...caps), max: Math.max(...caps) } };
}
