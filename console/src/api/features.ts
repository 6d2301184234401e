/**
 * What the engine serves, where the console is ahead of it. The contract's
 * working tools (private notes, a note carried by a transfer) are not served
 * yet: a note would be refused (no route) or silently dropped (a transfer
 * ignores fields it does not know), so the console does not offer them until
 * the engine does.
 */
export const features = {
  notes: false,
} as const;
