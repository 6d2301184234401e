import type { AgentBoard, PauseType, Team } from '../../../api/types';
import { capacityView } from '../../../lib/capacity';
import { pauseMinutes, pauseOverdue } from '../../../lib/pause';

// What the supervisors' board shows of each agent, as pure data.

export interface AgentRowView {
  id: string;
  name: string;
  online: boolean;
  pause: { type: string; minutes: number; max: number | null; overdue: boolean } | null;
  open: number;
  /** The agent's capacity: its own, or its teams' (a range when they differ); null when it has no team. */
  capacity: { min: number; max: number } | null;
  /** At or over its capacity (the smallest one, where teams differ). */
  full: boolean;
}

export function capacityOf(agent: AgentBoard, teams: readonly Team[]): AgentRowView['capacity'] {
  const c = capacityView(agent, teams);
  return 'own' in c ? { min: c.own, max: c.own } : c.team;
}

export function agentRow(agent: AgentBoard, pauseTypes: readonly PauseType[], teams: readonly Team[], now: number): AgentRowView {
  const type = agent.pause ? pauseTypes.find((p) => p.id === agent.pause!.type) : undefined;
  const capacity = capacityOf(agent, teams);
  return {
    id: agent.id,
    name: agent.name,
    online: agent.status === 'online',
    pause: agent.pause
      ? { type: type?.name ?? agent.pause.type, minutes: pauseMinutes(agent.pause, now), max: type?.max_minutes ?? null, overdue: pauseOverdue(agent.pause, type, now) }
      : null,
    open: agent.open_count,
    capacity,
    full: capacity !== null && agent.open_count >= capacity.min,
  };
}

/** Overdue pauses first, then paused, then online, then offline; by name within each. */
export function boardOrder(a: AgentRowView, b: AgentRowView): number {
  const rank = (r: AgentRowView) => (r.pause?.overdue ? 0 : r.pause ? 1 : r.online ? 2 : 3);
  return rank(a) - rank(b) || a.name.localeCompare(b.name, 'pt-BR');
}
