// Configuration screens: teams, channels, agents, pause types, reasons, templates: pt-BR. Part of the one catalogue (../pt-BR.ts).

export const settingsPtBR = {
} as const;
