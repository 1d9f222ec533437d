/** Mine → refinery → end use on the Material page: the Sankey of a year with both stages, its year switch and allocation assumption. */
import type { Loadable, MaterialFlows, MaterialProfile } from '../../api.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { Sankey } from '../../components/Sankey.tsx';

export function FlowsPanel({
  p,
  flowsRes,
  set,
}: {
  p: MaterialProfile;
  flowsRes: Loadable<MaterialFlows>;
  set: (patch: Record<string, string | number | null>) => void;
}) {
  return (
    <section aria-labelledby="flows-title" className="panel">
      <div className="panel-head">
        <h2 id="flows-title">Mine → refinery → end use{flowsRes.state === 'ok' ? `, ${flowsRes.data.year}` : ''}</h2>
        {flowsRes.state === 'ok' && flowsRes.data.yearsWithBothStages.length > 1 && (
          <div className="controls">
            <label htmlFor="flow-year">Year</label>
            <select id="flow-year" value={flowsRes.data.year} onChange={(e) => set({ flowYear: Number(e.target.value) })}>
              {flowsRes.data.yearsWithBothStages.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {flowsRes.state === 'error' ? (
        <p className="note">No Sankey: the knowledge base has no year with both mining and refining by country for {p.name}.</p>
      ) : flowsRes.state === 'loading' ? (
        <p role="status">Loading flows…</p>
      ) : (
        <>
          <Sankey flows={flowsRes.data} testId="sankey" />
          <p className="note">
            <strong>Allocation assumption:</strong> no bilateral ore-flow data is used — refiners draw on world mine supply pro rata to their output, after
            their own country's ore. {flowsRes.data.assumptions.join(' ')}
          </p>
          <SourceLine sources={flowsRes.data.sources} />
        </>
      )}
    </section>
  );
}
