/**
 * Optimisation results as tables (`chokepoint optimise … --format csv`, POST /api/optimise/…?format=csv|xlsx): the main
 * table of each answer, figures unformatted, with the scenario source and seed on every row (the CSV holds only this
 * table) and the report's sources and assumptions as the table's sources and notes.
 */
import type { OptimiseReport, ScenarioInfo } from '../../engine/optimise/index.ts';
import { flatTable, type DataTable, type Field } from './define.ts';

type Report<K extends OptimiseReport['kind']> = Extract<OptimiseReport, { kind: K }>;

/** The scenario source and seed, said in two columns. */
const scenarioFields = <T>(s: ScenarioInfo | null): Field<T>[] => [
  { key: 'scenarioSource', value: () => s?.source ?? null },
  { key: 'seed', kind: 'number', value: () => s?.seed ?? null },
];

/** The main table of an optimisation report. */
export function optimiseTable(r: OptimiseReport): DataTable {
  const meta = (title: string, notes: string[]) => ({ id: `optimise-${r.kind}`, title, sources: r.sources, notes });
  switch (r.kind) {
    case 'stockpile': {
      const res = r.result;
      return flatTable<Report<'stockpile'>['result']['materials'][number]>(
        meta('Stockpile allocation', [...r.scenarios.notes, ...res.assumptions]),
        [
          { key: 'material', value: (m) => m.material },
          { key: 'stockTonnes', kind: 'number', value: (m) => m.stockTonnes },
          { key: 'spent', kind: 'number', value: (m) => m.spent },
          { key: 'budgetUnit', value: () => (res.budget.kind === 'tonnes' ? 't' : (res.budget.currency ?? null)) },
          { key: 'expectedShortfallTonnesWithout', kind: 'number', value: (m) => m.expectedShortfallTonnesWithout },
          { key: 'expectedShortfallTonnesWith', kind: 'number', value: (m) => m.expectedShortfallTonnesWith },
          { key: 'expectedReleaseTonnes', kind: 'number', value: (m) => m.expectedReleaseTonnes },
          ...scenarioFields<Report<'stockpile'>['result']['materials'][number]>(r.scenarios),
        ],
        res.materials,
      );
    }
    case 'coordinated': {
      const res = r.result;
      type H = Report<'coordinated'>['result']['holders'][number];
      return flatTable<H>(
        meta('Coordinated stockpiles', [...r.scenarios.notes, ...res.assumptions]),
        [
          { key: 'partner', value: (h) => h.holder },
          { key: 'budget', kind: 'number', value: (h) => h.budget },
          { key: 'aloneExpectedShortfallCost', kind: 'number', value: (h) => h.alone.expectedShortfallCost },
          { key: 'pooledExpectedShortfallCost', kind: 'number', value: (h) => h.pooled.expectedShortfallCost },
          { key: 'gain', kind: 'number', value: (h) => h.gain },
          ...res.materials.map((m, i): Field<H> => ({ key: `pooledStockTonnes_${m}`, kind: 'number', value: (h) => h.pooled.stockTonnes[i] })),
          { key: 'expectedSharedOutTonnes', kind: 'number', value: (h) => h.pooled.expectedSharedOutTonnes },
          { key: 'expectedReceivedTonnes', kind: 'number', value: (h) => h.pooled.expectedReceivedTonnes },
          ...scenarioFields<H>(r.scenarios),
        ],
        res.holders,
      );
    }
    case 'portfolio': {
      const res = r.result;
      type M = Report<'portfolio'>['result']['perMaterial'][number];
      return flatTable<M>(
        meta(`Portfolio (${res.objective})`, [...(r.scenarios?.notes ?? []), ...res.assumptions, ...res.gaps]),
        [
          { key: 'material', value: (m) => m.material },
          { key: 'objective', value: () => res.objective },
          { key: 'before', kind: 'number', value: (m) => m.before },
          { key: 'after', kind: 'number', value: (m) => m.after },
          { key: 'chosen', value: () => res.chosen.join('; ') },
          ...scenarioFields<M>(r.scenarios),
        ],
        res.perMaterial,
      );
    }
    case 'coalition': {
      const res = r.result;
      return flatTable<Report<'coalition'>['result']['rows'][number]>(
        meta(`Coalition builder: ${res.bloc.label}`, [...res.assumptions, ...res.gaps]),
        [
          { key: 'material', value: (m) => m.material },
          { key: 'demandTonnes', kind: 'number', value: (m) => m.demandTonnes },
          { key: 'demandProxy', value: (m) => !!m.demandProxy },
          { key: 'bloc', value: () => res.bloc.id },
          { key: 'alone', kind: 'share', value: (m) => m.before },
          { key: 'withPartners', kind: 'share', value: (m) => m.after },
          { key: 'checkCoalitionN1', kind: 'share', value: (m) => m.checkedByCoalitionN1 },
          { key: 'target', kind: 'share', value: () => res.target },
          { key: 'partners', value: () => res.partners.map((p) => p.countryId).join('+') },
          { key: 'source', value: (m) => m.source.sourceId },
        ],
        res.rows,
      );
    }
  }
}
