/** Material profile (#/material/:id): key figures, where it is produced, reserves, concentration over time, IEA outlook, flows, prices and sources. */
import { useMemo } from 'react';
import { useApi, qs, type MaterialProfile, type MaterialFlows } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, quantity } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { EChart } from '../components/EChart.tsx';
import { IeaOutlook } from './material/Outlook.tsx';
import { barOption, priceOption, trendOption } from './material/chart-options.ts';
import { KeyFigures } from './material/KeyFigures.tsx';
import { SharesPanel } from './material/SharesPanel.tsx';
import { TrendPanel } from './material/TrendPanel.tsx';
import { FlowsPanel } from './material/FlowsPanel.tsx';
import { ImportersPanel } from './material/ImportersPanel.tsx';
import { PricePanel } from './material/PricePanel.tsx';
import { NetImportReliance } from './material/NetImportReliance.tsx';

const MAP_STAGES = ['mining', 'refining', 'reserves'] as const;

export function Material({ id, route }: { id: string; route: Route }) {
  const res = useApi<MaterialProfile>(`api/materials/${encodeURIComponent(id)}`);
  const stageQ = route.query.get('stage');
  const yearQ = route.query.get('year') ? Number(route.query.get('year')) : null;
  const flowYearQ = route.query.get('flowYear') ? Number(route.query.get('flowYear')) : null;
  const flowsRes = useApi<MaterialFlows>(res.state === 'ok' ? `api/materials/${encodeURIComponent(id)}/flows${qs({ year: flowYearQ })}` : null);
  const p = res.state === 'ok' ? res.data : null;

  const available = p ? MAP_STAGES.filter((s) => p.stages.find((x) => x.stage === s)?.trend.length) : [];
  const stage = (stageQ && (available as string[]).includes(stageQ) ? stageQ : available[0]) as (typeof MAP_STAGES)[number] | undefined;
  const st = p?.stages.find((s) => s.stage === stage);
  const row = st ? ((yearQ ? st.trend.find((r) => r.year === yearQ) : null) ?? st.latest) : null;
  const trendOpt = useMemo(() => (p ? trendOption(p) : null), [p]);
  const barOpt = useMemo(() => (row ? barOption(row) : null), [row]);
  const reserves = p?.stages.find((s) => s.stage === 'reserves')?.latest ?? null;
  const reservesOpt = useMemo(() => (reserves ? barOption(reserves, 8) : null), [reserves]);
  const priceOpt = useMemo(() => (p && p.prices.length ? priceOption(p.prices) : null), [p]);

  if (res.state !== 'ok') return <Status res={res} what={`material "${id}"`} />;
  const set = (patch: Record<string, string | number | null>) =>
    navigate(`/material/${p!.materialId}`, { ...Object.fromEntries(route.query.entries()), ...patch }, true);
  const trendStages = p!.stages.filter((s) => s.stage !== 'reserves' && s.trend.length);

  return (
    <article aria-labelledby="mat-title" className="material">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={href('/')}>All materials</a> / <span aria-current="page">{p!.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="mat-title">{p!.name}</h1>
          {p!.aliases.length > 0 && <p className="muted">Also published as: {p!.aliases.join(', ')}</p>}
        </div>
        <div className="page-actions" role="group" aria-label="Export">
          <a className="btn" href={`api/report/${p!.materialId}?format=md`} download>
            Briefing (Markdown)
          </a>
          <a className="btn" href={`api/report/${p!.materialId}?format=pdf`} download>
            Briefing (PDF)
          </a>
          <a className="btn" href={`api/export?table=material&material=${p!.materialId}&format=xlsx`} download>
            All tables (XLSX)
          </a>
          <a className="btn" href={href('/stress', { material: p!.materialId })}>
            Stress test…
          </a>
        </div>
      </div>

      <KeyFigures p={p!} />

      {row && stage && <SharesPanel p={p!} stage={stage} row={row} st={st} available={available} barOpt={barOpt} set={set} />}

      {reserves && reservesOpt && stage !== 'reserves' && (
        <section aria-labelledby="reserves-title" className="panel">
          <h2 id="reserves-title">Reserves, {reserves.year}</h2>
          <p className="muted">
            World reserves {quantity(reserves.total, reserves.unit)} ({reserves.basis.replace('_', ' ')}); top-3 hold {pct(reserves.top3Share)}
            {reserves.largest ? `, ${reserves.largest.country} alone ${pct(reserves.largest.share)}` : ''}.
          </p>
          <EChart
            option={reservesOpt}
            label={`${p!.name} reserves by country, ${reserves.year}`}
            height={Math.min(8, reserves.shares.length) * 30 + 40}
            testId="reserves-chart"
          />
          <SourceLine sources={[reserves.source]} />
        </section>
      )}

      {trendOpt && trendStages.length > 0 && <TrendPanel p={p!} trendOpt={trendOpt} trendStages={trendStages} />}

      <IeaOutlook p={p!} scenario={route.query.get('scenario')} onScenario={(s) => set({ scenario: s })} />

      <FlowsPanel p={p!} flowsRes={flowsRes} set={set} />

      <ImportersPanel key={p!.materialId} materialId={p!.materialId} name={p!.name} stages={p!.stages.map((s) => s.stage)} />

      {priceOpt && <PricePanel p={p!} priceOpt={priceOpt} />}

      {p!.netImportReliance.length > 0 && <NetImportReliance p={p!} />}

      {p!.gaps.length > 0 && (
        <section aria-labelledby="gaps-title" className="panel">
          <h2 id="gaps-title">Not in the knowledge base</h2>
          <ul>
            {p!.gaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="src-title" className="panel sources">
        <h2 id="src-title">Sources</h2>
        <ol data-testid="material-sources">
          {p!.sources.map((s) => (
            <li key={s.sourceId}>
              {s.url ? (
                <a href={s.url} target="_blank" rel="noreferrer">
                  {s.text}
                </a>
              ) : (
                s.text
              )}{' '}
              <span className="muted">(licence: {s.licence})</span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
