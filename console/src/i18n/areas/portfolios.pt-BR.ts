// Portfolios (carteiras) and contacts, with the CSV import: pt-BR. Part of the one catalogue (../pt-BR.ts).

export const portfoliosPtBR = {
} as const;
