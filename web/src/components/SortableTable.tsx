import { useMemo, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  label: string; // plain text name of the column (used for the sort button's accessible name)
  render: (row: T) => ReactNode;
  sortValue?: (row: T) => string | number | null;
  numeric?: boolean;
  rowHeader?: boolean;
  className?: string;
}

export type SortDir = 'asc' | 'desc';

/**
 * A semantic table with a caption; sortable columns have a <button> in the header (keyboard: Tab + Enter/Space),
 * and the header cell carries aria-sort. Missing values always sort last.
 */
export function SortableTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  groupHeaders,
  testId,
}: {
  caption: ReactNode;
  columns: Column<T>[];
  rows: T[];
  rowKey: (r: T) => string;
  sort?: { key: string; dir: SortDir };
  onSort?: (key: string, dir: SortDir) => void;
  groupHeaders?: Array<{ label: string; span: number }>;
  testId?: string;
}) {
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.key === sort.key);
    if (!col?.sortValue) return rows;
    const sv = col.sortValue;
    const mul = sort!.dir === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = sv(a);
      const y = sv(b);
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * mul;
    });
  }, [rows, columns, sort]);

  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={typeof caption === 'string' ? caption : 'table'}>
      <table data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          {groupHeaders && (
            <tr>
              {groupHeaders.map((g, i) => (
                <th key={i} colSpan={g.span} scope="colgroup" className={g.label ? 'group' : 'group empty'}>
                  {g.label}
                </th>
              ))}
            </tr>
          )}
          <tr>
            {columns.map((c) => {
              const active = sort?.key === c.key;
              const ariaSort = active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : undefined;
              return (
                <th key={c.key} scope="col" aria-sort={ariaSort} className={`${c.numeric ? 'num' : ''} ${c.className ?? ''}`}>
                  {c.sortValue && onSort ? (
                    <button
                      type="button"
                      className="sort"
                      data-sort-key={c.key}
                      // The visible header is the name (WCAG 2.5.3 label in name); the th's aria-sort gives the state.
                      title={`Sort by ${c.label}`}
                      onClick={() => onSort(c.key, active ? (sort!.dir === 'asc' ? 'desc' : 'asc') : c.numeric ? 'desc' : 'asc')}
                    >
                      {c.header}
                      <span aria-hidden="true" className="sort-ind">
                        {active ? (sort!.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={rowKey(r)} data-row={rowKey(r)}>
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.key} scope="row" className={c.className}>
                    {c.render(r)}
                  </th>
                ) : (
                  <td key={c.key} data-col={c.key} className={`${c.numeric ? 'num' : ''} ${c.className ?? ''}`}>
                    {c.render(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
