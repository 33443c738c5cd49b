/** Two field values are the same as the wire carries them (JSON; missing is null). */
export const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
