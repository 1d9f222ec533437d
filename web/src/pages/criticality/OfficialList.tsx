/** The EU 2023 official-list comparison on the Criticality page (EU assessor, 2023, no material filter). */
import { fixed } from '../../format.ts';
import { type Citation } from '../../api.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { bandText, stripMaterial, type CriticalityResponse } from './common.ts';

export function OfficialList({
  ol,
  r,
  nameOf,
  euCites,
}: {
  ol: NonNullable<CriticalityResponse['officialListComparison']>;
  r: CriticalityResponse;
  nameOf: Map<string, string>;
  euCites: Citation[];
}) {
  return (
    <section className="panel" aria-labelledby="official-title" data-testid="official-list">
      <h3 id="official-title">Against the official EU 2023 list</h3>
      <p>
        <strong data-testid="official-both">{ol.both.length}</strong> on both, <strong data-testid="official-ours">{ol.oursOnly.length}</strong> ours only,{' '}
        <strong data-testid="official-only">{ol.officialOnly.length}</strong> official only; {ol.undetermined.length} of ours undetermined (an input missing).
      </p>
      <ul className="small">
        <li>
          <strong>On both:</strong> {ol.both.map((id) => nameOf.get(id) ?? id).join(', ') || '—'}
        </li>
        <li>
          <strong>Ours only:</strong>{' '}
          {ol.oursOnly
            .map((id) => {
              const c = r.comparison.find((x) => x.materialId === id);
              return `${nameOf.get(id) ?? id} (SR ${fixed(c?.eu?.sr)}${c?.eu?.srBand ? `, p5–p95 ${bandText(c.eu.srBand)}` : ''})`;
            })
            .join(', ') || '—'}
        </li>
        <li>
          <strong>Official only:</strong>
          <ul>
            {ol.officialOnly.map((o) => (
              <li key={o.materialId}>
                {nameOf.get(o.materialId) ?? o.materialId}:{' '}
                {o.reason.startsWith('undetermined: ')
                  ? `undetermined — ${stripMaterial(o.reason.slice('undetermined: '.length), nameOf.get(o.materialId) ?? '')}`
                  : o.reason}
              </li>
            ))}
          </ul>
        </li>
        {ol.undetermined.length > 0 && (
          <li>
            <strong>Undetermined:</strong> {ol.undetermined.map((id) => nameOf.get(id) ?? id).join(', ')}
          </li>
        )}
      </ul>
      <SourceLine sources={euCites.filter((c) => /European Commission|Study on the Critical Raw Materials/.test(c.text))} />
    </section>
  );
}
