/** Net import reliance on the Material page: a table by country and year, as a share of apparent consumption. */
import type { MaterialProfile } from '../../api.ts';
import { SourceLine } from '../../components/SourceLine.tsx';

export function NetImportReliance({ p }: { p: MaterialProfile }) {
  return (
    <section aria-labelledby="nir-title" className="panel">
      <h2 id="nir-title">Net import reliance</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="nir-title">
        <table>
          <caption>{p.name}: net import reliance as a share of apparent consumption</caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col">Year</th>
              <th scope="col" className="num">
                Net import reliance
              </th>
            </tr>
          </thead>
          <tbody>
            {p.netImportReliance.map((n) => (
              <tr key={`${n.countryId}-${n.year}`}>
                <th scope="row">{n.countryId}</th>
                <td>{n.year}</td>
                <td className="num">
                  {n.percent === null
                    ? n.status.replace('_', ' ')
                    : `${n.status === 'lower_bound' ? '> ' : n.status === 'upper_bound' ? '< ' : ''}${n.percent}%`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SourceLine sources={p.netImportReliance.map((n) => n.source)} />
    </section>
  );
}
