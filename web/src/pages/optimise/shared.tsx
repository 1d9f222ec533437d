/** Shared parts of the Optimisation page's forms: number formats, the POST and its solve state, the submit button, the error line and the result footer. */
import { useState } from 'react';

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
export const num = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });
export const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

async function post(path: string, body: unknown): Promise<Json> {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(`${r.status}: ${j.error ?? r.statusText}`);
  return j;
}

export function Notes({ title, items }: { title: string; items: string[] }) {
  if (!items?.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {[...new Set(items)].map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </>
  );
}
function Sources({ sources }: { sources: Array<{ text: string; url?: string | null }> }) {
  return <Notes title="Sources" items={(sources ?? []).map((s) => `${s.text}${s.url ? ` <${s.url}>` : ''}`)} />;
}

/** A form's solve: POST a body to `path`; busy while it runs, then the answer or the error (`fail` for a form's own). */
export function useSolve(path: string) {
  const [out, setOut] = useState<{ busy: boolean; error?: string; data?: Json }>({ busy: false });
  const solve = async (body: unknown) => {
    setOut({ busy: true });
    try {
      const data = await post(path, body);
      setOut({ busy: false, data });
    } catch (err) {
      setOut({ busy: false, error: (err as Error).message });
    }
  };
  const fail = (error: string) => setOut({ busy: false, error });
  return { out, solve, fail };
}

/** The submit button and the error line every form has. */
export function SolveButton({ busy }: { busy: boolean }) {
  return (
    <button type="submit" disabled={busy}>
      {busy ? 'Solving…' : 'Solve'}
    </button>
  );
}
export function SolveError({ error }: { error?: string }) {
  return error ? <p role="alert">{error}</p> : null;
}

/** What every result ends with: the scenarios' notes, assumptions, gaps and sources (each only when there are some). */
export function ResultFooter({ scenarios, assumptions, gaps, sources }: { scenarios?: string[]; assumptions: string[]; gaps?: string[]; sources: Json }) {
  return (
    <>
      {scenarios && <Notes title="Scenarios" items={scenarios} />}
      <Notes title="Assumptions" items={assumptions} />
      {gaps && <Notes title="Gaps" items={gaps} />}
      <Sources sources={sources} />
    </>
  );
}
