/**
 * Global search and a grouping's deals:
 *   GET /api/search?q=&limit=          materials, countries, groupings, measures, agreements, projects, pages
 *   GET /api/deals?group=MSP&format=   agreements founding/run by or naming the grouping, and the projects linked to them
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { search } from '../engine/search.ts';
import { dealsOfGrouping } from '../engine/registry.ts';
import { cite } from '../model/provenance.ts';
import { countryName } from '../model/countries.ts';
import { TableFormat, groupId, parse } from './params.ts';
import type { ReadDeps } from './deps.ts';
import { InputError } from '../model/errors.ts';
import { downloadRows } from './download.ts';

export const SearchQuery = z.object({
  q: z.string().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const DealsQuery = z.object({
  group: groupId('grouping id, e.g. MSP'),
  format: TableFormat,
});

/** Search and a grouping's deals, mounted at /api. */
export function searchRoutes(read: ReadDeps): Hono {
  const app = new Hono();
  app.get('/search', (c) => {
    const q = parse(SearchQuery, c.req.query());
    return c.json({ q: q.q, hits: search(read.index(), q.q, q.limit) });
  });

  app.get('/deals', (c) => {
    const q = parse(DealsQuery, c.req.query());
    const index = read.index();
    const members = index.data.groupings.filter((g) => g.groupId === q.group);
    if (!members.length) {
      const known = [...new Set(index.data.groupings.map((g) => g.groupId))].sort();
      throw new InputError('group', `no grouping "${q.group.slice(0, 40)}"; known: ${known.join(', ')}`, 'not_found');
    }
    const reg = index.data.registry ?? { agreements: [], measures: [], projects: [] };
    const d = dealsOfGrouping(reg, q.group);
    const source = (id: string) => {
      const s = index.data.sources.get(id);
      return s ? cite(s) : null;
    };
    if (q.format !== 'json')
      return downloadRows(
        c,
        q.format,
        [
          ...d.agreements.map((a) => ({
            kind: 'agreement',
            id: a.id,
            title: a.title,
            why: a.link,
            where: a.parties.join(' '),
            date: a.signed,
            source: source(a.sourceId)?.text ?? a.sourceId,
          })),
          ...d.projects.map((p) => ({
            kind: 'project',
            id: p.id,
            title: p.name,
            why: p.link,
            where: p.countryId,
            date: p.expectedStartYear,
            source: source(p.sourceId)?.text ?? p.sourceId,
          })),
        ],
        `deals-${q.group}`,
      );
    const membership = members[0];
    return c.json({
      group: q.group,
      name: membership.groupName,
      asOf: membership.asOf,
      members: members.map((m) => ({ id: m.countryId, name: countryName(m.countryId) })),
      membershipSource: source(membership.sourceId),
      agreements: d.agreements.map((a) => ({ ...a, source: source(a.sourceId) })),
      projects: d.projects.map((p) => ({ ...p, countryName: countryName(p.countryId), source: source(p.sourceId) })),
      note: "Listed: agreements that found, run or succeed the grouping or name it as a party, and projects linked to them or backed by the grouping. Members' own bilateral deals are on each member's country page.",
    });
  });
  return app;
}
