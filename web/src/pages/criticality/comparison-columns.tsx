/** The columns of the Criticality page's comparison table: scores, bands and classes per method, ranks, spread, driver, defaults, inputs. */
import { fixed } from '../../format.ts';
import { type Column } from '../../components/SortableTable.tsx';
import type { ComparisonRow, Method } from '../../../../src/engine/criticality/index.ts';
import { DIVERGING, METHOD_NAME, RANK_LETTER, bandText, stageName, yesNo, type CriticalityResponse } from './common.ts';
import { outsideBand } from './Why.tsx';

export function comparisonColumns({
  r,
  sampled,
  multi,
  hasOfficial,
  officialCell,
  detail,
  setView,
}: {
  r: CriticalityResponse;
  sampled: boolean;
  multi: boolean;
  hasOfficial: boolean;
  officialCell: (c: ComparisonRow) => string | null;
  detail: string | null;
  setView: (patch: Record<string, string | null>, replace?: boolean) => void;
}): Column<ComparisonRow>[] {
  const has = (m: Method) => r.methods.includes(m);
  const cols: Column<ComparisonRow>[] = [
    { key: 'material', label: 'material', header: 'Material', rowHeader: true, sortValue: (c) => c.material, render: (c) => c.material },
  ];
  if (has('eu')) {
    cols.push({
      key: 'eu_sr',
      label: 'EU supply risk',
      header: 'EU SR',
      numeric: true,
      className: 'first-of-group',
      sortValue: (c) => c.eu?.sr ?? null,
      render: (c) => fixed(c.eu?.sr),
    });
    if (sampled)
      cols.push({
        key: 'eu_band',
        label: 'EU supply risk p5 to p95',
        header: 'SR p5–p95',
        numeric: true,
        sortValue: (c) => c.eu?.srBand?.p95 ?? null,
        render: (c) => {
          const why = outsideBand(c.eu?.sr, c.eu?.srBand);
          return why ? (
            <span className="outside-band" title={`The point SR ${fixed(c.eu?.sr)} lies outside its band: ${why}`}>
              {bandText(c.eu?.srBand)} ⚠
            </span>
          ) : (
            bandText(c.eu?.srBand)
          );
        },
      });
    cols.push(
      { key: 'eu_ei', label: 'EU economic importance', header: 'EU EI', numeric: true, sortValue: (c) => c.eu?.ei ?? null, render: (c) => fixed(c.eu?.ei) },
      {
        key: 'eu_stage',
        label: 'bottleneck stage',
        header: 'Bottleneck',
        sortValue: (c) => c.eu?.bottleneck ?? null,
        render: (c) => (c.eu ? stageName(c.eu.bottleneck) : '—'),
      },
      {
        key: 'eu_critical',
        label: 'EU critical',
        header: 'EU critical',
        sortValue: (c) => (c.eu ? yesNo(c.eu.critical) : null),
        render: (c) =>
          !c.eu ? '—' : c.eu.critical === null ? <span title="undetermined: an input is missing (see the inputs)">?</span> : yesNo(c.eu.critical),
      },
    );
    if (hasOfficial)
      cols.push({
        key: 'official',
        label: 'on the official EU 2023 list',
        header: 'EU 2023 list',
        sortValue: (c) => officialCell(c),
        render: (c) => officialCell(c) ?? '—',
      });
  }
  if (has('doe'))
    cols.push(
      {
        key: 'doe_sr',
        label: 'DOE short-term supply risk',
        header: 'DOE SR',
        numeric: true,
        className: 'first-of-group',
        sortValue: (c) => c.doe?.supplyRisk ?? null,
        render: (c) => <span title={c.doe?.supplyRiskBand ? `p5–p95 ${bandText(c.doe.supplyRiskBand, 1)}` : undefined}>{fixed(c.doe?.supplyRisk, 1)}</span>,
      },
      {
        key: 'doe_imp',
        label: 'DOE short-term importance to energy',
        header: 'DOE imp.',
        numeric: true,
        sortValue: (c) => c.doe?.importance ?? null,
        render: (c) => fixed(c.doe?.importance, 1),
      },
      {
        key: 'doe_class',
        label: 'DOE class',
        header: 'DOE class',
        sortValue: (c) => c.doe?.class ?? null,
        render: (c) => (!c.doe ? '—' : (c.doe.class ?? '?')),
      },
    );
  if (has('usgs'))
    cols.push({
      key: 'usgs',
      label: 'USGS disruption potential times trade exposure',
      header: 'USGS DP·TE',
      numeric: true,
      className: 'first-of-group',
      sortValue: (c) => c.usgs?.partialScore ?? null,
      render: (c) => (
        <span title={c.usgs ? `DP ${fixed(c.usgs.dp)} × TE ${fixed(c.usgs.te)}${c.usgs.band ? `; p5–p95 ${bandText(c.usgs.band)}` : ''}` : undefined}>
          {fixed(c.usgs?.partialScore)}
        </span>
      ),
    });
  if (has('geopolrisk'))
    cols.push({
      key: 'gpr',
      label: 'GeoPolRisk',
      header: 'GeoPolRisk',
      numeric: true,
      className: 'first-of-group',
      sortValue: (c) => c.geopolrisk?.score ?? null,
      render: (c) => <span title={c.geopolrisk?.band ? `p5–p95 ${bandText(c.geopolrisk.band, 3)}` : undefined}>{fixed(c.geopolrisk?.score, 3)}</span>,
    });
  if (multi)
    cols.push(
      {
        key: 'ranks',
        label: 'ranks per method',
        header: 'Ranks',
        className: 'first-of-group',
        render: (c) => {
          const parts = r.methods.map((m) => ({ m, v: c.ranks[m] ?? null }));
          return (
            <span
              aria-label={parts.map((p) => `${METHOD_NAME[p.m]} rank ${p.v ?? 'none'}`).join(', ')}
              title={parts.map((p) => `${METHOD_NAME[p.m]}: ${p.v ?? '—'}`).join('; ')}
            >
              {parts.map((p) => `${RANK_LETTER[p.m]}${p.v ?? '—'}`).join(' ')}
            </span>
          );
        },
      },
      {
        key: 'spread',
        label: 'rank spread',
        header: 'Spread',
        numeric: true,
        sortValue: (c) => c.spread,
        render: (c) =>
          c.spread === null ? (
            '—'
          ) : c.spread >= DIVERGING ? (
            <>
              <span className="sev sev-warning" title={`rankings diverge: spread ≥ ${DIVERGING} ranks`}>
                diverging
              </span>{' '}
              {c.spread}
            </>
          ) : (
            String(c.spread)
          ),
      },
      {
        key: 'driver',
        label: 'driver of the divergence',
        header: 'Driver',
        render: (c) => <span style={{ whiteSpace: 'normal', display: 'inline-block', minWidth: 420, maxWidth: 520, fontSize: 13 }}>{c.driver ?? '—'}</span>,
      },
    );
  cols.push(
    {
      key: 'defaults',
      label: 'number of defaulted inputs',
      header: 'Defaults',
      numeric: true,
      className: 'first-of-group',
      sortValue: (c) => c.defaulted.length,
      render: (c) => <span title={c.defaulted.join('; ') || 'none'}>{c.defaulted.length}</span>,
    },
    {
      key: 'details',
      label: 'inputs',
      header: 'Inputs',
      render: (c) => (
        <button
          type="button"
          className="btn small"
          aria-expanded={detail === c.materialId}
          aria-controls="crit-detail"
          aria-label={`${detail === c.materialId ? 'Hide' : 'Show'} inputs, sources and messages for ${c.material}`}
          onClick={() => setView({ detail: detail === c.materialId ? null : c.materialId })}
        >
          {detail === c.materialId ? 'Hide' : 'Show'}
        </button>
      ),
    },
  );
  return cols;
}
