/**
 * "Data as of" in the header: the newest edition among the loaded datasets, the latest historical year observed and when
 * the store last recorded an import (GET /api/health → dataAsOf), linking to the sources page.
 */
import { useApi } from '../api.ts';
import { href } from '../router.ts';

interface Health {
  dataAsOf?: {
    newestEditions: Array<{ dataset: string; sourceId: string; publisher: string; edition: string; editionYear: number }>;
    latestDataYear: number | null;
    lastImportedAt: string | null;
  };
}

export function DataAsOf() {
  const res = useApi<Health>('api/health');
  if (res.state !== 'ok' || !res.data.dataAsOf) return null;
  const a = res.data.dataAsOf;
  const newest = a.newestEditions[0];
  const all = a.newestEditions.map((e) => `${e.publisher} ${e.edition} (${e.editionYear})`).join('; ');
  return (
    <p className="asof" data-testid="data-as-of">
      <a href={href('/sources')} title={`Newest edition of each loaded dataset: ${all}`}>
        Data as of: {newest ? `${newest.publisher.replace(/\s*\(.*\)$/, '')} ${newest.edition}` : 'no sources loaded'}
        {a.latestDataYear !== null ? `, data to ${a.latestDataYear}` : ''}
        {` · imported ${a.lastImportedAt ? a.lastImportedAt.slice(0, 10) : 'date not recorded'}`}
      </a>
    </p>
  );
}
