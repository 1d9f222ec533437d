/** Number formats shared by the Risk page's result and comparison. */
export const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
export const days = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} d`;
