/**
 * What the engine serves, where the console could be ahead of it: one
 * switch per feature of the contract, so that the console never offers what
 * the engine would refuse. Private notes (and a note carried by a transfer)
 * are served.
 */
export const features = {
  notes: true,
} as const;
