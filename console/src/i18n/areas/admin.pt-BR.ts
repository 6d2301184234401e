// The administration area's frame and the supervisors' board: pt-BR. Part of the one catalogue (../pt-BR.ts).

export const adminPtBR = {
  'admin.title': 'Administração',
  'admin.open': 'Administração',
  'admin.back': 'Atendimento',
  'admin.nav.board': 'Quadro de atendentes',
  'admin.nav.portfolios': 'Carteiras',
  'admin.nav.contacts': 'Contatos',
  'admin.nav.settings': 'Configurações',
  'admin.settings.teams': 'Equipes',
  'admin.settings.channels': 'Canais',
  'admin.settings.agents': 'Atendentes',
  'admin.settings.pause-types': 'Pausas',
  'admin.settings.reasons': 'Motivos',
  'admin.settings.templates': 'Modelos de mensagem',
} as const;
