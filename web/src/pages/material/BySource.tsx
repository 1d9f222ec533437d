/**
 * What each source says about the cell on screen (GET /api/concentration/series): every published series of this
 * material, stage and year side by side (USGS, the IEA; each basis and scenario) with HHI, top-1, top-3 and the share left
 * without the largest supplier. Rank 1 is the series the figures above use; a second publisher that tells a different
 * story is seen at once.
 */
import { useApi, type SeriesPanelRow } from '../../api.ts';
import { int, pct } from '../../format.ts';
import { Downloads } from '../../components/Downloads.tsx';
import { ShortSourceLink } from '../../components/SourceLine.tsx';

export function BySource({ materialId, name, stage, year }: { materialId: string; name: string; stage: string; year: number }) {
  const url = `api/concentration/series?material=${encodeURIComponent(materialId)}&stage=${encodeURIComponent(stage)}&year=${year}`;
  const res = useApi<{ rows: SeriesPanelRow[]; notes: string[] }>(url);
  if (res.state === 'loading') return <p className="muted">Loading what each source says…</p>;
  if (res.state === 'error') return <p className="error">What each source says could not be loaded: {res.error}</p>;
  const rows = res.data.rows;
  return (
    <>
      <div className="table-head">
        <h3 id="by-source-title">What each source says</h3>
        <Downloads url={url} label={`${name} ${stage} ${year}, every published series`} />
      </div>
      {rows.length < 2 && (
        <p className="note" data-testid="by-source-single">
          One published series for this {stage} year: the figures above are the only ones loaded.
        </p>
      )}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="by-source-title">
        <table data-testid="by-source-table">
          <caption>
            {name}, {stage} {year}: every published series. Rank 1 is the one used above, by the series rule: USGS before the IEA for historical years, country
            figures, newest edition, then basis (contained first).
          </caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Source</th>
              <th scope="col">Basis</th>
              <th scope="col" className="num">
                HHI
              </th>
              <th scope="col" className="num">
                Largest
              </th>
              <th scope="col" className="num">
                Top-3
              </th>
              <th scope="col" className="num">
                Left without the largest
              </th>
              <th scope="col" className="num">
                China
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.sourceId}|${r.basis}|${r.unit}|${r.scenario ?? ''}`} data-source={r.sourceId} className={r.rank === 1 ? 'picked' : undefined}>
                <th scope="row">{r.rank === 1 ? '1 (used above)' : r.rank}</th>
                <td>
                  <ShortSourceLink source={r.source} />
                  {r.scenario ? ` (${r.scenario === 'base' ? 'projection' : r.scenario})` : ''}
                  {r.estimated ? <abbr title="estimated"> e</abbr> : null}
                </td>
                <td>{r.basis.replace('_', ' ')}</td>
                {r.gap ? (
                  <td colSpan={5} className="muted">
                    {r.gap}
                  </td>
                ) : (
                  <>
                    <td className="num">{int(r.hhiPoints)}</td>
                    <td className="num">{r.largest ? `${r.largest.country} ${pct(r.largest.share)}` : '—'}</td>
                    <td className="num">{pct(r.top3Share)}</td>
                    <td className="num" data-col="n1">
                      {pct(r.n1RemainingShare)}
                    </td>
                    <td className="num">{pct(r.chinaShare)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note">{res.data.notes.join(' ')}</p>
    </>
  );
}
