/**
 * One input-error family, mapped once per edge: the API (apiErrorResponse) and the CLI (cliInputErrorMessage).
 * The thrower's kind decides 400 vs 404; no edge guesses it from the field name.
 */
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { apiErrorResponse } from '../../src/api/app.ts';
import { cliInputErrorMessage } from '../../src/cli/main.ts';
import { InputError } from '../../src/model/errors.ts';
import { CriticalityError } from '../../src/engine/criticality/common.ts';
import { CoalitionError } from '../../src/engine/coalition/share.ts';
import { ScenarioError } from '../../src/scenario/load.ts';
import { ImportError } from '../../src/model/schema.ts';

async function answer(e: Error): Promise<{ status: number; body: unknown }> {
  const app = new Hono();
  app.onError(apiErrorResponse);
  app.get('/x', () => {
    throw e;
  });
  const r = await app.request('/x');
  return { status: r.status, body: await r.json() };
}

describe('input errors', () => {
  it('API: invalid 400, not_found 404, conflict 409, the message starting with its field', async () => {
    expect(await answer(new CriticalityError('year', 'year must be a whole number, got 2023.5'))).toEqual({
      status: 400,
      body: { error: 'year: year must be a whole number, got 2023.5', field: 'year' },
    });
    expect((await answer(new CoalitionError('iso3', '"XYZ" is not an ISO3 country code', 'not_found'))).status).toBe(404);
    expect((await answer(new InputError('id', 'exists', 'conflict'))).status).toBe(409);
    // a file or body error names its place in the message; the field defaults to "body"
    expect(await answer(new ScenarioError(null, 'shock.exclude', 'required'))).toEqual({
      status: 400,
      body: { error: 'shock.exclude: required', field: 'shock.exclude' },
    });
    expect(await answer(new ImportError('request body', null, null, 'bad'))).toEqual({ status: 400, body: { error: 'request body: bad', field: 'body' } });
  });

  it('CLI: "--flag: message" for an option, the message as is for a file', () => {
    expect(cliInputErrorMessage(new CoalitionError('iso3', '"XYZ" is not an ISO3 country code'))).toBe('--country: "XYZ" is not an ISO3 country code');
    expect(cliInputErrorMessage(new InputError('demandScenario', 'unknown'))).toBe('--demand-scenario: unknown');
    expect(cliInputErrorMessage(new ScenarioError('s.yaml', 'year', 'required'))).toBe('s.yaml: year: required');
  });
});
