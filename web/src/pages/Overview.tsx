import { useMemo } from 'react';
import { useApi, type DataTable, type Citation } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, int, signed } from '../format.ts';
import { SortableTable, type Column, type SortDir } from '../components/SortableTable.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { Status } from '../components/Status.tsx';

type Row = Record<string, string | number | boolean | null>;
type Overview = DataTable;

/** Trend arrow vs the previous year of the same dataset: ▲ more concentrated, ▼ less. Changes under 50 HHI points count as flat. */
export function TrendArrow({ change, prevYear }: { change: number | null; prevYear: number | null }) {
  if (change === null || prevYear === null)
    return (
      <span className="trend none" aria-label="no previous year">
        –
      </span>
    );
  const dir = change >= 50 ? 'up' : change <= -50 ? 'down' : 'flat';
  const label = `HHI ${dir === 'up' ? 'up' : dir === 'down' ? 'down' : 'about unchanged'} ${Math.abs(change)} points vs ${prevYear}`;
  return (
    <span className={`trend ${dir}`} title={label} aria-label={label}>
      <span aria-hidden="true">{dir === 'up' ? '▲' : dir === 'down' ? '▼' : '▶'}</span> <span className="trend-num">{signed(change)}</span>
    </span>
  );
}

export function Overview({ route }: { route: Route }) {
  const res = useApi<Overview>('api/overview');
  const sortKey = route.query.get('sort') ?? 'material';
  const dir = (route.query.get('dir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const filter = route.query.get('q') ?? '';

  const data = res.state === 'ok' ? res.data : null;
  const { sourceNo, sources } = useMemo(() => {
    const m = new Map<string, number>();
    const list: Citation[] = [];
    for (const s of data?.sources ?? []) {
      m.set(s.sourceId, list.length + 1);
      list.push(s);
    }
    return { sourceNo: m, sources: list };
  }, [data]);

  const columns = useMemo(() => {
    const stageCols = (p: 'mining' | 'refining', label: string): Column<Row>[] => [
      {
        key: `${p}Hhi`,
        label: `${label} HHI`,
        header: 'HHI',
        numeric: true,
        sortValue: (r) => r[`${p}Hhi`] as number | null,
        render: (r) => (r[`${p}Hhi`] === null ? '—' : int(r[`${p}Hhi`] as number)),
        className: `first-of-group`,
      },
      {
        key: `${p}HhiChange`,
        label: `${label} HHI change vs previous year`,
        header: 'Trend',
        numeric: true,
        sortValue: (r) => r[`${p}HhiChange`] as number | null,
        render: (r) => <TrendArrow change={r[`${p}HhiChange`] as number | null} prevYear={r[`${p}PrevYear`] as number | null} />,
      },
      {
        key: `${p}Top3`,
        label: `${label} top-3 share`,
        header: 'Top-3',
        numeric: true,
        sortValue: (r) => r[`${p}Top3`] as number | null,
        render: (r) => pct(r[`${p}Top3`] as number | null),
      },
      {
        key: `${p}Largest`,
        label: `${label} largest supplier share`,
        header: 'Largest supplier',
        sortValue: (r) => r[`${p}LargestShare`] as number | null,
        numeric: true,
        render: (r) =>
          r[`${p}Largest`] === null ? (
            '—'
          ) : (
            <>
              <span className="who">{r[`${p}Largest`] as string}</span> <span className="share">{pct(r[`${p}LargestShare`] as number)}</span>
            </>
          ),
        className: 'largest',
      },
      {
        key: `${p}China`,
        label: `${label} China share`,
        header: 'China',
        numeric: true,
        sortValue: (r) => r[`${p}China`] as number | null,
        render: (r) => pct(r[`${p}China`] as number | null),
      },
      {
        key: `${p}Year`,
        label: `${label} year`,
        header: 'Year',
        numeric: true,
        sortValue: (r) => r[`${p}Year`] as number | null,
        render: (r) => {
          if (r[`${p}Year`] === null) return '—';
          const n = sourceNo.get(r[`${p}SourceId`] as string);
          return (
            <>
              {r[`${p}Year`] as number}
              <sup>
                <a
                  href={`#src-${n}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(`src-${n}`)?.scrollIntoView();
                  }}
                  aria-label={`source ${n}: ${r[`${p}Source`]}`}
                  title={r[`${p}Source`] as string}
                >
                  [{n}]
                </a>
              </sup>
            </>
          );
        },
      },
    ];
    const cols: Column<Row>[] = [
      {
        key: 'material',
        label: 'material',
        header: 'Material',
        rowHeader: true,
        sortValue: (r) => r.material as string,
        render: (r) => <a href={href(`/material/${r.materialId}`)}>{r.material as string}</a>,
      },
      ...stageCols('mining', 'Mining'),
      ...stageCols('refining', 'Refining'),
    ];
    return cols;
  }, [sourceNo]);

  const setQuery = (patch: Record<string, string | null>) => {
    const q = Object.fromEntries(route.query.entries());
    navigate('/', { ...q, ...patch }, true);
  };

  if (res.state !== 'ok') return <Status res={res} what="the overview" />;
  const rows = (data!.rows as Row[]).filter(
    (r) => !filter || String(r.material).toLowerCase().includes(filter.toLowerCase()) || String(r.materialId).includes(filter.toLowerCase()),
  );
  const nMining = data!.rows.filter((r) => r.miningHhi !== null).length;
  const nRefining = data!.rows.filter((r) => r.refiningHhi !== null).length;

  return (
    <section aria-labelledby="overview-title">
      <div className="page-head">
        <div>
          <h1 id="overview-title">Supply concentration of {data!.rows.length} materials</h1>
          <p className="lede">
            Mining ({nMining} materials) and refining ({nRefining}) side by side, latest year with data by country. HHI on the 0–10,000 scale (above 2,500 =
            highly concentrated); the arrow compares with the previous year of the same source. Select a material for its map, producers, trend and flows.
          </p>
        </div>
        <div className="page-actions">
          <Downloads params={{ table: 'overview' }} label="the overview table" />
        </div>
      </div>
      <div className="controls">
        <label htmlFor="filter">Filter materials</label>
        <input id="filter" type="search" value={filter} placeholder="e.g. cobalt, rare" onChange={(e) => setQuery({ q: e.target.value || null })} />
        <span className="count" aria-live="polite">
          {rows.length} shown
        </span>
      </div>
      <SortableTable<Row>
        testId="overview-table"
        caption={`Supply concentration by material: mining and refining, latest year (${rows.length} materials)`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.materialId as string}
        sort={{ key: sortKey, dir }}
        onSort={(key, d) => setQuery({ sort: key, dir: d })}
        groupHeaders={[
          { label: '', span: 1 },
          { label: 'Mining', span: 6 },
          { label: 'Refining', span: 6 },
        ]}
      />
      <div className="sources" id="sources">
        <h2>Sources</h2>
        <p className="source">{data!.notes.join(' ')}</p>
        <ol>
          {sources.map((s, i) => (
            <li key={s.sourceId + i} id={`src-${i + 1}`}>
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
      </div>
    </section>
  );
}
