/** Which year the Criticality page shows and why: the default rule and the results per year (GET /api/criticality/years). */
import type { Loadable } from '../../api.ts';
import type { Method } from '../../../../src/engine/criticality/index.ts';
import { METHOD_NAME, type CriticalityYears } from './common.ts';

const SHORT: Record<Method, string> = { eu: 'EU', doe: 'DOE classes', usgs: 'USGS', geopolrisk: 'GeoPolRisk' };

/** Which year is shown and why: the default rule and the results per year, from GET /api/criticality/years. */
export function YearNote({ years, year, chosen, setYear }: { years: Loadable<CriticalityYears>; year: string; chosen: boolean; setYear: (y: string) => void }) {
  if (years.state !== 'ok') return null;
  const y = years.data;
  const rows = y.years.filter((c) => Object.values(c.scored).some((n) => n > 0));
  return (
    <div className="note" id="crit-year-note" data-testid="crit-year-note">
      <p style={{ margin: 0 }}>
        {chosen ? (
          <>
            Year {year}, as chosen.{' '}
            {y.defaultYear !== null && String(y.defaultYear) !== year && (
              <>
                The default for this assessor and method is {y.defaultYear}{' '}
                <button type="button" className="btn small" onClick={() => setYear(String(y.defaultYear))}>
                  show {y.defaultYear}
                </button>
              </>
            )}
          </>
        ) : (
          <>
            Year <strong data-testid="crit-default-year">{y.defaultYear ?? '—'}</strong> by default: {y.rule}. Computed from the loaded data.
          </>
        )}
      </p>
      <p style={{ margin: '4px 0 0' }} className="small">
        Materials with results by year:{' '}
        {rows.map((c, i) => (
          <span key={c.year}>
            {i > 0 ? '; ' : ''}
            {String(c.year) === year ? (
              <strong>{c.year}</strong>
            ) : (
              <button type="button" className="linkish" onClick={() => setYear(String(c.year))}>
                {c.year}
              </button>
            )}{' '}
            {(Object.keys(c.scored) as Method[]).map((m) => `${SHORT[m]} ${c.scored[m]}`).join(', ')}
          </span>
        ))}
        .
        {y.noResults.length > 0 && (
          <>
            {' '}
            <strong>Gap:</strong> no results in any loaded year for {y.noResults.map((m) => METHOD_NAME[m]).join(', ')} (see the messages below for the missing
            input).
          </>
        )}
      </p>
    </div>
  );
}
