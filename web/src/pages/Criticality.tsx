import type { Route } from '../router.ts';

/**
 * Criticality matrix (supply risk × economic importance, like the EU and DOE figures). The page is built against
 * /api/criticality once the criticality routes exist (src/api/criticality-routes.ts); until then it says so.
 */
export function Criticality(_: { route: Route }) {
  return (
    <section aria-labelledby="crit-title">
      <h1 id="crit-title">Criticality matrix</h1>
      <p className="note" role="status">
        The criticality assessment (EU JRC, US DOE, USGS and GeoPolRisk methods on the same data) is not in this build yet: the API has no /api/criticality route. When it lands, this
        page plots supply risk against economic importance for every material, with the EU thresholds (SR ≥ 1.0, EI ≥ 2.8) drawn in and every input sourced.
      </p>
    </section>
  );
}
