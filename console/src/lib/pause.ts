import type { AgentPause, PauseType } from '../api/types';

/** Whole minutes of a pause at `now` (the board's elapsed_minutes is as of its read). */
export function pauseMinutes(pause: AgentPause, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(pause.since)) / 60_000));
}

/** Past the type's maximum now, or already flagged by the server. */
export function pauseOverdue(pause: AgentPause, type: PauseType | undefined, now: number): boolean {
  return pause.overdue || (type !== undefined && pauseMinutes(pause, now) > type.max_minutes);
}
