import { lazy, Suspense, useEffect, useRef } from 'react';
import { useRoute, href } from './router.ts';
import { Overview } from './pages/Overview.tsx';
import { Sources } from './pages/Sources.tsx';
import { GlobalSearch } from './components/GlobalSearch.tsx';
import { DataAsOf } from './components/DataAsOf.tsx';
import { Glossary } from './pages/Glossary.tsx';

// Chart-heavy pages (ECharts, world map, Sankey) load on demand, so the overview's first paint stays small.
const Material = lazy(() => import('./pages/Material.tsx').then((m) => ({ default: m.Material })));
const Stress = lazy(() => import('./pages/Stress.tsx').then((m) => ({ default: m.Stress })));
const Criticality = lazy(() => import('./pages/Criticality.tsx').then((m) => ({ default: m.Criticality })));
const Timeline = lazy(() => import('./pages/Timeline.tsx').then((m) => ({ default: m.Timeline })));
const Alerts = lazy(() => import('./pages/Alerts.tsx').then((m) => ({ default: m.Alerts })));
const Coalitions = lazy(() => import('./pages/Coalitions.tsx').then((m) => ({ default: m.Coalitions })));
const Risk = lazy(() => import('./pages/Risk.tsx').then((m) => ({ default: m.Risk })));
const Optimise = lazy(() => import('./pages/Optimise.tsx').then((m) => ({ default: m.Optimise })));
const Country = lazy(() => import('./pages/Country.tsx').then((m) => ({ default: m.Country })));
const Crma = lazy(() => import('./pages/Coalitions.tsx').then((m) => ({ default: m.CrmaSection })));
const Grouping = lazy(() => import('./pages/Grouping.tsx').then((m) => ({ default: m.Grouping })));
const Search = lazy(() => import('./pages/Search.tsx').then((m) => ({ default: m.Search })));
const Importer = lazy(() => import('./pages/Importer.tsx').then((m) => ({ default: m.Importer })));
const Demand = lazy(() => import('./pages/Demand.tsx').then((m) => ({ default: m.Demand })));

const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/stress', label: 'Stress test' },
  { path: '/criticality', label: 'Criticality' },
  { path: '/risk', label: 'Risk' },
  { path: '/crma', label: 'CRMA test' },
  { path: '/country', label: 'Countries' },
  { path: '/importer', label: 'Importers' },
  { path: '/demand', label: 'Demand' },
  { path: '/timeline', label: 'Measures' },
  { path: '/coalitions', label: 'Coalitions' },
  { path: '/optimise', label: 'Optimise' },
  { path: '/alerts', label: 'Alerts' },
  { path: '/sources', label: 'Sources' },
  { path: '/glossary', label: 'Glossary' },
];

export function App() {
  const route = useRoute();
  const [page, arg] = route.path;
  const main = useRef<HTMLElement>(null);
  const pageKey = `${page ?? ''}/${arg ?? ''}`;
  // Move focus to the new page's content on navigation (not on query changes such as sorting), for keyboard and screen-reader users.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pageKey]);
  useEffect(() => {
    document.title = `${page === 'material' && arg ? `${arg} — ` : page ? `${page} — ` : ''}Chokepoint`;
  }, [page, arg]);

  let content;
  if (!page) content = <Overview route={route} />;
  else if (page === 'material' && arg) content = <Material key={arg} id={arg} route={route} />;
  else if (page === 'stress') content = <Stress route={route} />;
  else if (page === 'criticality') content = <Criticality route={route} />;
  else if (page === 'risk') content = <Risk route={route} />;
  else if (page === 'timeline') content = <Timeline route={route} />;
  else if (page === 'alerts') content = <Alerts route={route} />;
  else if (page === 'coalitions') content = <Coalitions route={route} />;
  else if (page === 'optimise') content = <Optimise />;
  else if (page === 'country') content = <Country key={arg ?? ''} id={arg} route={route} />;
  else if (page === 'sources') content = <Sources />;
  else if (page === 'glossary') content = <Glossary route={route} />;
  else if (page === 'crma')
    content = (
      <>
        <h1>EU Critical Raw Materials Act</h1>
        <p className="lede">Which strategic raw materials fail the 65% test (no more than 65% of EU supply from one third country), and the 2030 benchmarks.</p>
        <Crma route={route} basePath="/crma" />
      </>
    );
  else if (page === 'group' && arg) content = <Grouping key={arg} id={arg} />;
  else if (page === 'search') content = <Search route={route} />;
  else if (page === 'importer') content = <Importer key={arg ?? ''} id={arg} route={route} />;
  else if (page === 'demand') content = <Demand route={route} />;
  else
    content = (
      <p role="alert">
        No page "{page}". <a href={href('/')}>Back to the overview</a>.
      </p>
    );

  const active = page === 'material' || !page ? '/' : page === 'group' ? '/coalitions' : `/${page}`;
  return (
    <>
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <a className="brand" href={href('/')} aria-label="Chokepoint home">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Chokepoint
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.path}>
                <a href={href(n.path)} aria-current={active === n.path ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
            <li>
              <a href="docs">API</a>
            </li>
          </ul>
        </nav>
        <GlobalSearch />
        <DataAsOf />
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense
          fallback={
            <p role="status" className="status">
              Loading…
            </p>
          }
        >
          {content}
        </Suspense>
      </main>
      <footer className="foot">
        <p>
          Chokepoint — critical-minerals supply chains. Every figure shows its source; data from public releases (USGS Mineral Commodity Summaries, IEA Critical
          Minerals dataset, EU CRM assessment, World Bank WGI). <a href="openapi.json">OpenAPI</a> · <a href="docs">API docs</a>
        </p>
      </footer>
    </>
  );
}
