/**
 * One family of input errors: what the caller asked for is wrong (invalid), absent (not_found), clashes with what
 * is stored (conflict) or is well-formed but has no answer (infeasible: an optimisation whose constraints cannot all
 * hold). Engines, importers and scenario code throw it; each edge maps it once:
 *   API  (src/api/app.ts `onError`):  invalid → 400, not_found → 404, conflict → 409, infeasible → 422; body `{ error, field }`
 *   CLI  (src/cli/main.ts `main`):    exit 2 with "chokepoint: --flag: message" (a file error: exit 1, "import rejected")
 * The thrower decides not_found vs invalid (after Hono's one `HTTPException`): no edge guesses it from the field name.
 */
export type InputErrorKind = 'invalid' | 'not_found' | 'conflict' | 'infeasible';

export class InputError extends Error {
  constructor(
    /** The option or query parameter at fault (API name, camelCase; the CLI prints it as --kebab-case), or null. */
    readonly field: string | null,
    message: string,
    readonly kind: InputErrorKind = 'invalid',
    /** 'parameter': a CLI option / query parameter; 'file': a place in a file or request body (the message names it). */
    readonly where: 'parameter' | 'file' = 'parameter',
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** The CLI option for an API field: "iso3" is --country, camelCase becomes kebab-case. */
export const cliFlagOf = (field: string): string =>
  ({ iso3: 'country', 'shock.exclude': 'exclude', materials: 'material' })[field] ?? field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
