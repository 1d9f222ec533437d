/** OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import { z } from 'zod';
import { ConcentrationAllQuery, ConcentrationQuery } from './app.ts';

function queryParams(schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, object>; required?: string[] };
  return Object.entries(json.properties).map(([name, s]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: s }));
}

const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const errors = { '400': json('invalid input: the message names the field'), '404': json('unknown material or no data') };

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chokepoint API',
      version: '0.1.0',
      description: 'Critical-minerals supply concentration, profiles and sources. Every figure carries its source (publisher, edition, table), unit and basis.',
    },
    paths: {
      '/api/health': { get: { summary: 'liveness and dataset size', responses: { '200': json('ok') } } },
      '/api/materials': { get: { summary: 'materials with data, their stages and years', responses: { '200': json('materials') } } },
      '/api/materials/{id}': {
        get: {
          summary: 'material profile: stages, top producers, reserves, net import reliance, demand, sources',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'material id or any alias' }],
          responses: { '200': json('profile'), ...errors },
        },
      },
      '/api/concentration': {
        get: { summary: 'concentration of one material at one stage and year', parameters: queryParams(ConcentrationQuery), responses: { '200': json('concentration row with country shares'), ...errors } },
      },
      '/api/concentration/all': {
        get: { summary: 'concentration of every material at a stage', parameters: queryParams(ConcentrationAllQuery), responses: { '200': json('rows'), ...errors } },
      },
      '/api/sources': { get: { summary: 'loaded sources with editions, licences and row counts', responses: { '200': json('sources') } } },
    },
  };
}
