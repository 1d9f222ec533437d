/** One piece of evidence for a country's role: its text, its sources and a link to the material page. */
import { type Citation } from '../../api.ts';
import { href } from '../../router.ts';
import type { RoleEvidence } from '../../../../src/engine/coalition/index.ts';
import { CiteLink } from './common.tsx';

export function Evidence({ e, byId }: { e: RoleEvidence; byId: Map<string, Citation> }) {
  return (
    <li data-material={e.materialId ?? undefined} data-record={e.agreementId ?? e.projectId ?? undefined}>
      <span data-testid="evidence-text">{e.text}</span>{' '}
      <span className="muted small">
        [
        {e.sourceIds.map((id, i) => (
          <span key={id}>
            {i > 0 ? '; ' : ''}
            <CiteLink c={byId.get(id)} fallback={id} />
          </span>
        ))}
        ]
      </span>
      {e.materialId ? (
        <>
          {' '}
          <a className="small" href={href(`/material/${e.materialId}`, { stage: e.stage, year: e.year })} aria-label={`${e.material}: material page`}>
            ↗
          </a>
        </>
      ) : null}
    </li>
  );
}
