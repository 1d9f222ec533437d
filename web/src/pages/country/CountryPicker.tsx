/** The country chooser of the Country pages: an ISO3 code or (part of) a name, resolved against the countries list. */
import { useEffect, useState, type FormEvent } from 'react';
import { navigate } from '../../router.ts';
import countries from '../../../../src/data/countries.json';

const COUNTRIES = (countries as Array<{ id: string; name: string; officialName?: string | null }>).filter((c) => /^[A-Z]{3}$/.test(c.id));

/** ISO3 code from what was typed: a code, or (part of) a country name. */
function resolveCountry(s: string): string | null {
  const t = s.trim();
  if (/^[A-Za-z]{3}$/.test(t) && COUNTRIES.some((c) => c.id === t.toUpperCase())) return t.toUpperCase();
  const l = t.toLowerCase();
  if (!l) return null;
  const exact = COUNTRIES.find((c) => c.name.toLowerCase() === l || c.officialName?.toLowerCase() === l);
  return (exact ?? COUNTRIES.find((c) => c.name.toLowerCase().startsWith(l)) ?? COUNTRIES.find((c) => c.name.toLowerCase().includes(l)))?.id ?? null;
}

export function CountryPicker({ current }: { current?: string }) {
  const [value, setValue] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(current ?? ''), [current]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = resolveCountry(value);
    if (!id) {
      setError(`No country matches "${value}". Type an ISO3 code (IDN) or a name (Indonesia).`);
      return;
    }
    setError(null);
    navigate(`/country/${id}`);
  };
  return (
    <form className="controls" onSubmit={submit} aria-label="Choose a country" data-testid="country-picker">
      <label htmlFor="cty-pick">Country</label>
      <input
        id="cty-pick"
        list="cty-list"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="ISO3 or name, e.g. IDN"
        aria-describedby={error ? 'cty-err' : undefined}
      />
      <datalist id="cty-list">
        {COUNTRIES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </datalist>
      <button className="btn" type="submit">
        Show
      </button>
      {error ? (
        <span id="cty-err" className="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
