/**
 * API latency under load on loopback (autocannon, a few seconds per route): p50 / p99 / requests per second for the
 * concentration, overview, profile and stress-test routes. Baseline measured in the same run: /api/health (routing,
 * JSON and HTTP overhead only). Goal: p99 < 50 ms. Uses the bundled knowledge base (the test fixture if no bundle).
 * Then criticality for all materials (issue 13: p99 < 500 ms), kept per data version and query and, to see the
 * computation itself, with a different assessor on every request (each one a cache miss, run in the criticality
 * worker); and while that cache-miss load runs, a cached route (goal: p99 < 5 ms, no request stalled by criticality).
 * Requests carry a browser's Accept-Encoding (what the dashboard sends), so large answers travel compressed; the largest
 * one is measured uncompressed as well.
 */
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QUEUE_MAX } from '../src/api/workers/pool.ts';

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 3);
const CONNECTIONS = 10;
/** What Chromium and Firefox send. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br';

async function run(url: string, connections = CONNECTIONS, acceptEncoding: string | null = BROWSER_ACCEPT_ENCODING): Promise<autocannon.Result> {
  const headers: Record<string, string> = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
  return autocannon({ url, connections, duration: SECONDS, pipelining: 1, headers });
}

/** Assessors cycled by the cache-miss criticality load: one per request, so no two ask the same question in a row. */
const ASSESSORS =
  'USA JPN KOR DEU FRA ITA GBR CAN AUS IND BRA MEX IDN TUR SAU ZAF ARG CHN RUS ESP NLD POL SWE BEL AUT NOR CHE DNK FIN IRL PRT GRC CZE HUN ROU THA VNM MYS PHL SGP NZL CHL PER COL EGY MAR NGA KEN ISR ARE'.split(
    ' ',
  );

/** Criticality (EU method, all materials) with a new assessor per request and year: every request computes. */
function criticalityMisses(base: string, connections: number, years: number[]): Promise<autocannon.Result> {
  let n = 0;
  return autocannon({
    url: base,
    connections,
    duration: SECONDS,
    pipelining: 1,
    headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING },
    requests: [
      {
        setupRequest: (req) => {
          const as = ASSESSORS[n % ASSESSORS.length];
          const year = years[Math.floor(n / ASSESSORS.length) % years.length];
          n++;
          // A new seed per request (no samples, so the same figures): a new key for both caches, so every request computes.
          return { ...req, path: `/api/criticality?method=eu&as=${as}&year=${year}&seed=${n}&view=summary` };
        },
      },
    ],
  });
}

const row = (name: string, r: autocannon.Result, goalMs: number | null) =>
  `${name.padEnd(46)} ${r.latency.p50.toFixed(1).padStart(7)} ${r.latency.p99.toFixed(1).padStart(7)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(8)} ${String(r.non2xx).padStart(8)}  ${goalMs === null ? '' : r.latency.p99 < goalMs ? 'ok' : 'MISSED'}`;

/**
 * The test server (bundle, else fixture) in its own process, so the load generator does not share the server's event
 * loop (in one process, autocannon's parsing of the answers had counted as server latency).
 */
async function serverProcess(): Promise<{ url: string; kind: 'bundle' | 'fixture'; close: () => void }> {
  const script = fileURLToPath(new URL('../test/web/server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const started = await new Promise<RegExpMatchArray>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/^(bundle|fixture) server at (\S+)/m);
      if (m) resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`the test server exited (${code}) before listening: ${out}`)));
  });
  return { kind: started[1] as 'bundle' | 'fixture', url: started[2], close: () => child.kill() };
}

export async function benchApi(): Promise<void> {
  const server = await serverProcess();
  try {
    const mats = (await (await fetch(server.url + 'api/materials')).json()) as {
      materials: Array<{ id: string; stages: Array<{ stage: string; years: number[] }> }>;
    };
    const co = mats.materials.find((m) => m.id === 'cobalt') ?? mats.materials[0];
    const years = co.stages.find((s) => s.stage === 'mining')?.years ?? [];
    const year = years.filter((y) => y <= new Date().getFullYear()).pop() ?? years[years.length - 1];
    const routes: Array<[string, string]> = [
      ['baseline: /api/health', 'api/health'],
      ['concentration (one material)', `api/concentration?material=${co.id}&stage=mining`],
      ['concentration (all materials)', 'api/concentration/all?stage=mining'],
      ['every series by source (all materials)', 'api/concentration/series?stage=mining'],
      ['overview (mining + refining)', 'api/overview'],
      ['N-1 sweep (all materials, from the summary)', 'api/stress/n1?stage=refining'],
      ['material profile', `api/materials/${co.id}`],
      ['stress test (N-1)', `api/stress?material=${co.id}&stage=mining&year=${year}&n1=true`],
      ['stress test (exclude CHN, 60-day stockpile)', `api/stress?material=${co.id}&stage=refining&year=${year}&exclude=CHN&stockpileDays=60`],
      ...(server.kind === 'bundle'
        ? ([
            ['coalition share (MSP, refining, 2024+2035)', 'api/coalition/share?group=MSP&stage=refining&year=2024,2035'],
            ['timeline (gallium)', 'api/timeline?material=gallium'],
            ['measure → stress test (Ga/Ge 2023)', 'api/registry/measures/chn-gallium-germanium-2023/stress?material=gallium'],
          ] as Array<[string, string]>)
        : []),
    ];
    console.log(
      `knowledge base: ${server.kind} (${mats.materials.length} materials); ${CONNECTIONS} connections, ${SECONDS} s per route, loopback, Accept-Encoding: ${BROWSER_ACCEPT_ENCODING}`,
    );
    console.log(`${'route'.padEnd(46)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(8)} ${'non-2xx'.padStart(8)}  goal p99 < 50 ms`);
    for (const [name, path] of routes) {
      const r = await run(server.url + path);
      console.log(row(name, r, name.startsWith('baseline') ? null : 50));
    }
    // The largest answer (~0.5 MB of JSON for the bundle) as a client that does not accept compression gets it.
    console.log(row('every series by source, uncompressed', await run(server.url + 'api/concentration/series?stage=mining', CONNECTIONS, null), 50));

    // Years with EU-method results (others answer 404 and would measure nothing).
    const cov = (await (await fetch(server.url + 'api/criticality/years?method=eu&as=EU')).json()) as {
      years: Array<{ year: number; scored: Record<string, number> }>;
    };
    const critYears = cov.years.filter((y) => (y.scored.eu ?? 0) > 0).map((y) => y.year);
    const kept = 'api/criticality?method=eu&as=EU&year=2023&view=summary';
    await fetch(server.url + kept); // the first ask computes; the bench measures the kept answer
    console.log(`\ncriticality, all materials (EU method; years ${critYears.join(', ')})`.padEnd(94) + 'goal p99 < 500 ms');
    console.log(row('kept per data version (same query)', await run(server.url + kept), 500));
    console.log(row('computed, 10 connections (new key per request)', await criticalityMisses(server.url, CONNECTIONS, critYears), 500));
    await new Promise((r) => setTimeout(r, 2_000)); // the runs still queued by the last load finish first
    // At most QUEUE_MAX (8) runs wait; beyond that the server answers 503 at once and the client asks again at once.
    console.log(row(`computed, ${QUEUE_MAX} connections (the queue's bound)`, await criticalityMisses(server.url, QUEUE_MAX, critYears), 500));
    // One user asking a cached route (the 0.35 ms answer), alone and while 10 others make criticality compute.
    const cached = `api/concentration?material=${co.id}&stage=mining`;
    console.log(`\na cached route, one connection, while criticality computes`.padEnd(94) + 'goal p99 < 5 ms');
    console.log(row('concentration (one material), alone', await run(server.url + cached, 1), 5));
    const [during, load] = await Promise.all([run(server.url + cached, 1), criticalityMisses(server.url, QUEUE_MAX, critYears)]);
    console.log(row('concentration (one material), during', during, 5));
    console.log(row(`  criticality computed at the same time (${QUEUE_MAX} conn.)`, load, null));
    console.log(`(non-2xx in the computed rows: 503 "runs already waiting", the queue of ${QUEUE_MAX} pushing back)`);
  } finally {
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchApi();
