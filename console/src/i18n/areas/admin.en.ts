import type { adminPtBR } from './admin.pt-BR';

// The administration area's frame and the supervisors' board: English.

export const adminEn: Record<keyof typeof adminPtBR, string> = {
  'admin.title': 'Administration',
  'admin.open': 'Administration',
  'admin.back': 'Inbox',
  'admin.nav.board': 'Agents board',
  'admin.nav.portfolios': 'Portfolios',
  'admin.nav.contacts': 'Contacts',
  'admin.nav.settings': 'Settings',
  'admin.settings.teams': 'Teams',
  'admin.settings.channels': 'Channels',
  'admin.settings.agents': 'Agents',
  'admin.settings.pause-types': 'Pauses',
  'admin.settings.reasons': 'Reasons',
  'admin.settings.templates': 'Message templates',
  'board.agents': 'Agents',
  'board.agent': 'Agent',
  'board.status': 'Status',
  'board.pause': 'Pause',
  'board.open': 'Conversations / capacity',
  'board.paused': '{type} for {minutes} min',
  'board.pause_max': '(max. {max} min)',
  'board.overdue': 'Pause overdue',
  'board.load': '{open} / {capacity}',
  'board.waiting': 'Waiting per team',
  'board.team': 'Team',
  'board.waiting_count': 'Waiting',
  'board.oldest': 'Oldest (last activity)',
};
