/**
 * API latency under load on loopback (autocannon, a few seconds per route): p50 / p99 / requests per second for the
 * concentration, overview, profile and stress-test routes. Baseline measured in the same run: /api/health (routing,
 * JSON and HTTP overhead only). Goal: p99 < 50 ms. Uses the bundled knowledge base (the test fixture if no bundle).
 */
import autocannon from 'autocannon';
import { startTestServer } from '../test/web/server.ts';

const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 3);
const CONNECTIONS = 10;

async function run(url: string): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: SECONDS, pipelining: 1 });
}

export async function benchApi(): Promise<void> {
  const server = await startTestServer();
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
    console.log(`knowledge base: ${server.kind} (${mats.materials.length} materials); ${CONNECTIONS} connections, ${SECONDS} s per route, loopback`);
    console.log(`${'route'.padEnd(46)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'req/s'.padStart(8)} ${'non-2xx'.padStart(8)}  goal p99 < 50 ms`);
    for (const [name, path] of routes) {
      const r = await run(server.url + path);
      const ok = r.latency.p99 < 50;
      console.log(
        `${name.padEnd(46)} ${r.latency.p50.toFixed(1).padStart(7)} ${r.latency.p99.toFixed(1).padStart(7)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(8)} ${String(r.non2xx).padStart(8)}  ${name.startsWith('baseline') ? '' : ok ? 'ok' : 'MISSED'}`,
      );
    }
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchApi();
