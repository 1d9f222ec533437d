/** What the Country pages share: the role names, the production and projection row types, and source lookup by id. */
import { type Citation } from '../../api.ts';
import { ShortSourceLink } from '../../components/SourceLine.tsx';
import type { CountryProfile, RoleId } from '../../../../src/engine/coalition/index.ts';

export const ROLE_LABEL: Record<RoleId, string> = {
  producer_anchor: 'Producer anchor',
  processing_hub: 'Processing hub',
  value_capture_climber: 'Value-capture climber',
  corridor_convener: 'Corridor convener',
};
export const ROLE_IDS = Object.keys(ROLE_LABEL) as RoleId[];

export type Production = CountryProfile['production'][number];
export type Projection = CountryProfile['projections'][number];

export const cite = (byId: Map<string, Citation>, ids: string[]) => ids.map((id) => byId.get(id)).filter((c): c is Citation => !!c);
export const CiteLink = ({ c, fallback }: { c: Citation | undefined; fallback: string }) => (c ? <ShortSourceLink source={c} /> : <>{fallback}</>);
