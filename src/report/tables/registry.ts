/**
 * The registry tables (trade measures, agreements, projects), the timeline and the alerts: one definition each for
 * `chokepoint registry list … | timeline | alerts --format csv` and the API's format=csv|xlsx. The CLI's terminal table
 * is a shorter view of the same records; the CSV is these columns. Where the two edges differed (the CLI wrote its
 * terminal columns as CSV: `dates` as prose, materials as names, source ids), the API's columns won: one value per
 * column, ids, ISO dates and the source as its citation text.
 */
import type { DatasetIndex } from '../../engine/dataset.ts';
import type { TimelineEvent } from '../../engine/registry.ts';
import type { StoredAlert } from '../../model/alerts.ts';
import { cite, type Citation } from '../../model/provenance.ts';
import { measureStatus, type Agreement, type Project, type TradeMeasure } from '../../model/registry.ts';
import { flatTable, type DataTable } from './define.ts';

export type SourceLookup = (sourceId: string) => Citation | null;

/** The citation of a source id in the knowledge base, or null when the record is missing. */
export const sourceLookup =
  (index: DatasetIndex): SourceLookup =>
  (id) => {
    const s = index.data.sources.get(id);
    return s ? cite(s) : null;
  };

const list = (xs: string[]) => xs.join(' ');
const cited = (source: SourceLookup, ids: string[]) => ids.map(source).filter((c): c is Citation => c !== null);

/** Trade measures; `status` is read from the measure's dates on `today` (YYYY-MM-DD). */
export function measuresTable(rows: TradeMeasure[], source: SourceLookup, today: string): DataTable {
  return flatTable(
    {
      id: 'measures',
      title: 'Export controls and other trade measures',
      sources: cited(
        source,
        rows.map((r) => r.sourceId),
      ),
      notes: [`status as of ${today}`],
    },
    [
      { key: 'id', value: (r) => r.id },
      { key: 'title', value: (r) => r.title },
      { key: 'country', value: (r) => r.countryId },
      { key: 'direction', value: (r) => r.direction },
      { key: 'type', value: (r) => r.measureType },
      { key: 'materials', value: (r) => list(r.materials) },
      { key: 'stages', value: (r) => list(r.stages) },
      { key: 'hsCodes', value: (r) => list(r.hsCodes) },
      { key: 'targets', value: (r) => list(r.targets) },
      { key: 'announced', value: (r) => r.announced },
      { key: 'effective', value: (r) => r.effective },
      { key: 'suspended', value: (r) => r.suspended },
      { key: 'suspendedUntil', value: (r) => r.suspendedUntil ?? null },
      { key: 'ended', value: (r) => r.ended },
      { key: 'status', value: (r) => measureStatus(r, today) },
      { key: 'url', value: (r) => r.url },
      { key: 'source', value: (r) => source(r.sourceId)?.text ?? r.sourceId },
    ],
    rows,
  );
}

export function agreementsTable(rows: Agreement[], source: SourceLookup): DataTable {
  return flatTable(
    {
      id: 'agreements',
      title: 'Agreements',
      sources: cited(
        source,
        rows.map((r) => r.sourceId),
      ),
    },
    [
      { key: 'id', value: (r) => r.id },
      { key: 'title', value: (r) => r.title },
      { key: 'type', value: (r) => r.type },
      { key: 'parties', value: (r) => list(r.parties) },
      { key: 'materials', value: (r) => list(r.materials) },
      { key: 'signed', value: (r) => r.signed },
      { key: 'inForce', value: (r) => r.inForce },
      { key: 'ended', value: (r) => r.ended },
      { key: 'url', value: (r) => r.url },
      { key: 'source', value: (r) => source(r.sourceId)?.text ?? r.sourceId },
    ],
    rows,
  );
}

export function projectsTable(rows: Project[], source: SourceLookup): DataTable {
  return flatTable(
    {
      id: 'projects',
      title: 'Projects',
      sources: cited(
        source,
        rows.map((r) => r.sourceId),
      ),
    },
    [
      { key: 'id', value: (r) => r.id },
      { key: 'name', value: (r) => r.name },
      { key: 'country', value: (r) => r.countryId },
      { key: 'materials', value: (r) => list(r.materials) },
      { key: 'stage', value: (r) => r.stage },
      { key: 'capacityTonnesPerYear', kind: 'number', value: (r) => r.capacityTonnesPerYear },
      { key: 'basis', value: (r) => r.basis },
      { key: 'status', value: (r) => r.status },
      { key: 'expectedStartYear', value: (r) => r.expectedStartYear },
      { key: 'partners', value: (r) => r.partners.map((p) => `${p.partnerId}:${p.role}`).join('; ') },
      { key: 'url', value: (r) => r.url },
      { key: 'source', value: (r) => source(r.sourceId)?.text ?? r.sourceId },
    ],
    rows,
  );
}

export function timelineTable(events: TimelineEvent[]): DataTable {
  return flatTable(
    { id: 'timeline', title: 'Dated trade measures and agreements', sources: events.map((e) => e.source) },
    [
      { key: 'date', value: (e) => e.date },
      { key: 'event', value: (e) => e.kind },
      { key: 'record', value: (e) => e.recordId },
      { key: 'title', value: (e) => e.title },
      { key: 'countries', value: (e) => list(e.countries) },
      { key: 'materials', value: (e) => list(e.materials) },
      { key: 'type', value: (e) => e.measureType ?? e.agreementType },
      { key: 'url', value: (e) => e.url },
      { key: 'source', value: (e) => e.source.text },
    ],
    events,
  );
}

/** Alerts (as read on a date: see `alertOnDate`), with the rule that raised each and its sources. */
export function alertsTable(alerts: StoredAlert[], source?: SourceLookup): DataTable {
  return flatTable(
    { id: 'alerts', title: 'Alerts', sources: source ? cited(source, [...new Set(alerts.flatMap((a) => a.sourceIds))]) : [] },
    [
      { key: 'firstSeen', value: (a) => a.firstSeen },
      { key: 'severity', value: (a) => a.severity },
      { key: 'severityReason', value: (a) => a.severityReason ?? null },
      { key: 'rule', value: (a) => a.ruleId },
      { key: 'material', value: (a) => a.materialId },
      { key: 'stage', value: (a) => a.stage },
      { key: 'year', value: (a) => a.year },
      { key: 'title', value: (a) => a.title },
      { key: 'detail', value: (a) => a.detail },
      { key: 'active', value: (a) => a.active },
      { key: 'sources', value: (a) => list(a.sourceIds) },
    ],
    alerts,
  );
}
