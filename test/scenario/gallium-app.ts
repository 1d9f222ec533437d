/**
 * The small knowledge base the stress API tests share: gallium refining 2024 (China 750 t, Russia 6 t, Japan 3 t,
 * world 760 t, one USGS-like source), and a Hono app with the stress routes and the API's error mapping.
 */
import { Hono } from 'hono';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import type { KnowledgeBase } from '../../src/store/knowledge-base.ts';
import type { Observation, Source } from '../../src/model/schema.ts';
import { apiErrorResponse } from '../../src/api/app.ts';
import { stressRoutes } from '../../src/api/stress-routes.ts';
import { readDeps } from '../../src/api/deps.ts';

const src: Source = {
  id: 's',
  dataset: 'usgs-mcs',
  editionYear: 2025,
  publisher: 'P',
  title: 'T',
  edition: 'E',
  table: null,
  licence: 'x',
  url: null,
  file: null,
  caveat: null,
};

const o = (countryId: string, value: number, stage: Observation['stage'] = 'refining'): Observation => ({
  materialId: 'gallium',
  stage,
  measure: 'production',
  countryId,
  year: 2024,
  value,
  unit: 't',
  basis: 'contained',
  status: 'reported',
  estimated: true,
  scenario: null,
  sector: null,
  detail: null,
  note: null,
  sourceId: 's',
});

export const galliumKb = {
  index: new DatasetIndex({
    observations: [o('CHN', 750), o('JPN', 3), o('RUS', 6), o('WLD', 760)],
    sources: new Map([['s', src]]),
    governance: [],
    groupings: [],
  }),
} as unknown as KnowledgeBase;

/** The stress routes on `galliumKb`, errors answered as the API answers them. */
export function galliumStressApp(): Hono {
  const app = new Hono();
  app.onError(apiErrorResponse); // the API's own mapping of errors
  app.route('/api', stressRoutes(readDeps(() => galliumKb.index)));
  return app;
}
