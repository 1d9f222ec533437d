import { useApi, type Citation } from '../api.ts';
import { Status } from '../components/Status.tsx';

interface SourceRow {
  id: string;
  dataset: string;
  editionYear: number;
  publisher: string;
  title: string;
  edition: string;
  table: string | null;
  licence: string;
  url: string | null;
  caveat: string | null;
  observations: number;
  governance: number;
  groupings: number;
  tradeFlows?: number;
  registry?: number;
}

export function Sources() {
  const res = useApi<{ sources: SourceRow[]; documents: Citation[] }>('api/sources');
  if (res.state !== 'ok') return <Status res={res} what="the sources" />;
  const rows = res.data.sources;
  const docs = res.data.documents ?? [];
  return (
    <section aria-labelledby="src-title">
      <h1 id="src-title">Sources in the knowledge base</h1>
      <p className="lede">Every figure on this dashboard cites one of these {rows.length} sources, with the edition and table it comes from.</p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="sources">
        <table data-testid="sources-table">
          <caption>Loaded sources, editions, licences and row counts</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Publisher</th>
              <th scope="col">Edition</th>
              <th scope="col">Table</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">Licence</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {s.url ? (
                    <a href={s.url} target="_blank" rel="noreferrer">
                      {s.title}
                    </a>
                  ) : (
                    s.title
                  )}
                </th>
                <td>{s.publisher}</td>
                <td>{s.edition}</td>
                <td>{s.table ?? '—'}</td>
                <td className="num">{(s.observations + s.governance + s.groupings + (s.tradeFlows ?? 0) + (s.registry ?? 0)).toLocaleString('en-US')}</td>
                <td>
                  {s.licence}
                  {s.caveat ? <span className="muted"> — {s.caveat}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {docs.length ? (
        <>
          <h2>Documents the methods cite</h2>
          <ul data-testid="documents-list">
            {docs.map((d) => (
              <li key={d.sourceId}>
                {d.url ? (
                  <a href={d.url} target="_blank" rel="noreferrer">
                    {d.text}
                  </a>
                ) : (
                  d.text
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
