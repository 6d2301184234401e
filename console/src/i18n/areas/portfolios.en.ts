import type { portfoliosPtBR } from './portfolios.pt-BR';

// Portfolios (carteiras) and contacts, with the CSV import: English.

export const portfoliosEn: Record<keyof typeof portfoliosPtBR, string> = {
};
