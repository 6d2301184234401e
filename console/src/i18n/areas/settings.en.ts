import type { settingsPtBR } from './settings.pt-BR';

// Configuration screens: teams, channels, agents, pause types, reasons, templates: English.

export const settingsEn: Record<keyof typeof settingsPtBR, string> = {
};
