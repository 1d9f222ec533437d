/**
 * Every query and body fragment the API routes share, written once: the route modules build their schemas from these,
 * and the OpenAPI document (openapi.ts, coalition-openapi.ts, optimise-openapi.ts) is generated from the same schemas
 * with `queryParams`. Also the two steps every route takes with its input: `parse` (zod → InputError naming the field)
 * and `material` (any alias → material id, or an InputError with suggestions).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { InputError, type InputErrorKind } from '../model/errors.ts';
import { resolveMaterial, suggestMaterials } from '../model/materials.ts';
import { STAGES } from '../model/schema.ts';

/** A whole year in [min, max], from a query string. */
export const yearBetween = (min: number, max = 2100) => z.coerce.number().int().min(min).max(max);
export const Year = yearBetween(1900);

/** A year or comma-separated years (1900–2100), at most `max`. */
export const yearList = (max: number) =>
  z
    .string()
    .max(max * 5)
    .regex(/^\d{4}(,\d{4})*$/, 'a year or comma-separated years, e.g. 2024,2035')
    .transform((s) => s.split(',').map(Number))
    .refine((ys) => ys.length <= max, `at most ${max} years`)
    .refine((ys) => ys.every((y) => y >= 1900 && y <= 2100), 'years between 1900 and 2100')
    .describe(`a year or comma-separated years (1900–2100), at most ${max}`);

/** true/false/1/0 in a query string. */
export const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every stage (mining, refining, reserves, …) and the two a supply shock applies to. */
export const Stage = z.enum(STAGES);
export const SupplyStage = z.enum(['mining', 'refining']);

export const Dataset = z.string().regex(/^[a-z0-9-]+$/, 'lower-case dataset id such as usgs-mcs, iea-cm or eu-crm');
export const DemandScenario = z.enum(['STEPS', 'APS', 'NZE']);

/** One material id or alias (resolved with `material`). */
export const MaterialName = z.string().min(1).max(100);

/** Response formats: JSON or CSV, and JSON or a table download (CSV, XLSX). */
export const Format = z.enum(['json', 'csv']).default('json');
export const TableFormat = z.enum(['json', 'csv', 'xlsx']).default('json');

export const Iso3 = z.string().regex(/^[A-Za-z]{3}$/, 'an ISO3 country code');
/** A grouping id (or an ISO3 code), upper-cased. */
export const groupId = (message: string) =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_+-]{1,30}$/, message)
    .transform((s) => s.toUpperCase());
/** A grouping id (MSP, G7, EU27 …), an ISO3 code or a list A+B. */
export const groupOf = (message: string, max: number) =>
  z
    .string()
    .min(2)
    .max(max)
    .regex(/^[A-Za-z0-9_+, -]+$/, message);

export function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.') || 'query';
    throw new InputError(field, issue.message);
  }
  return r.data;
}

/** A material id from any alias, or 404 naming the field with suggestions (400 in a request body: `kind` 'invalid'). */
export function material(raw: string, field = 'material', kind: InputErrorKind = 'not_found'): string {
  const id = resolveMaterial(raw);
  if (!id) throw new InputError(field, `unknown material "${raw.slice(0, 100)}"; did you mean ${suggestMaterials(raw.slice(0, 100)).join(', ')}?`, kind);
  return id;
}

/** The request's JSON body, or 400 naming `body` with `message` when it does not parse. */
export async function jsonBody(c: Context, message = 'expected a JSON document'): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new InputError('body', message);
  }
}

/** OpenAPI query parameters of a zod object schema (what the request accepts, defaults included). */
export function queryParams(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, object>; required?: string[] };
  return Object.entries(json.properties).map(([name, s]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s }));
}

/** An OpenAPI JSON response of `description`. */
export const jsonResponse = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
