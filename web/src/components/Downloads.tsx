/**
 * CSV / XLSX download links for a table: either a table of /api/export (`params`, which attaches the sources to the
 * data) or an API route that renders its own table with `format=csv|xlsx` (`url`, which may already have a query).
 */
export function Downloads({ params, url, label }: { params?: Record<string, string | number | undefined>; url?: string; label: string }) {
  const href = (format: string) => {
    if (url) return `${url}${url.includes('?') ? '&' : '?'}format=${format}`;
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, format })) if (v !== undefined && v !== '') s.set(k, String(v));
    return `api/export?${s}`;
  };
  return (
    <span className="downloads">
      <a className="btn small" href={href('csv')} download aria-label={`Download ${label} as CSV`}>
        CSV
      </a>
      <a className="btn small" href={href('xlsx')} download aria-label={`Download ${label} as XLSX (Excel)`}>
        XLSX
      </a>
    </span>
  );
}
