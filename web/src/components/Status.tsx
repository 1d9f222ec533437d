import type { Loadable } from '../api.ts';

/** Loading and error states, announced to screen readers. */
export function Status<T>({ res, what }: { res: Loadable<T>; what: string }) {
  if (res.state === 'loading')
    return (
      <p className="status" role="status">
        Loading {what}…
      </p>
    );
  if (res.state === 'error')
    return (
      <p className="status error" role="alert">
        Could not load {what}: {res.error}
      </p>
    );
  return null;
}
