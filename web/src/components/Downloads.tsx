/** CSV / XLSX download links for a table (served by /api/export, which attaches the sources to the data). */
export function Downloads({ params, label }: { params: Record<string, string | number | undefined>; label: string }) {
  const q = (format: string) => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, format })) if (v !== undefined && v !== '') s.set(k, String(v));
    return `api/export?${s}`;
  };
  return (
    <span className="downloads">
      <a className="btn small" href={q('csv')} download aria-label={`Download ${label} as CSV`}>
        CSV
      </a>
      <a className="btn small" href={q('xlsx')} download aria-label={`Download ${label} as XLSX (Excel)`}>
        XLSX
      </a>
    </span>
  );
}

/** CSV / XLSX links for an API route that renders its own table with `format=csv|xlsx` (`url` already has a query). */
export function FormatDownloads({ url, label }: { url: string; label: string }) {
  const sep = url.includes('?') ? '&' : '?';
  return (
    <span className="downloads">
      <a className="btn small" href={`${url}${sep}format=csv`} download aria-label={`Download ${label} as CSV`}>
        CSV
      </a>
      <a className="btn small" href={`${url}${sep}format=xlsx`} download aria-label={`Download ${label} as XLSX (Excel)`}>
        XLSX
      </a>
    </span>
  );
}
