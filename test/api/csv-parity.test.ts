/**
 * One table definition per result, the same bytes from both edges: `chokepoint … --format csv` (the real CLI, in a child
 * process, on the bundled data) and the API's format=csv, on the same store. One store and one knowledge base for the
 * file; each case is one CLI run and one request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledStore, runCli } from '../store/cli.ts';
import { createApp } from '../../src/api/app.ts';
import { openKnowledgeBase, type KnowledgeBase } from '../../src/store/knowledge-base.ts';
import { CONCENTRATION_CSV_COLUMNS, SERIES_PANEL_FIELDS } from '../../src/report/tables.ts';
import { CRITICALITY_CSV_COLUMNS } from '../../src/engine/criticality/csv.ts';

let store: Awaited<ReturnType<typeof bundledStore>>;
let db: string;
let kb: KnowledgeBase;

beforeAll(async () => {
  store = await bundledStore('cp-csv-');
  db = store.db;
  kb = await openKnowledgeBase({ dbPath: db });
}, 320_000);

afterAll(() => {
  kb?.close();
  store?.remove();
});

async function bothEdges(cliArgs: string[], url: string): Promise<{ cli: string; api: string }> {
  const cli = await runCli([...cliArgs, '--format', 'csv', '--db', db], { timeoutMs: 120_000 });
  expect(cli.code, cli.stderr).toBe(0);
  const res = await createApp(kb).request(url);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  return { cli: cli.stdout, api: await res.text() };
}

/** The CLI's CSV and the API's CSV are the same bytes, with the expected header and at least `minRows` rows. */
async function sameCsv(cliArgs: string[], url: string, header: string, minRows = 1) {
  const { cli, api } = await bothEdges(cliArgs, url);
  expect(api.split('\n')[0]).toBe(header);
  expect(cli).toBe(api);
  expect(api.trimEnd().split('\n').length - 1).toBeGreaterThanOrEqual(minRows);
}

describe('CLI CSV = API CSV', () => {
  it('concentration --all: the same 21 columns and the same bytes', async () => {
    const { cli, api } = await bothEdges(
      ['concentration', '--all', '--stage', 'refining', '--year', '2024', '--sort', 'material'],
      '/api/concentration/all?stage=refining&year=2024&format=csv',
    );
    expect(api.split('\n')[0]).toBe(CONCENTRATION_CSV_COLUMNS.join(','));
    // the API lists rows by HHI, the CLI here by material: compare the header and the set of lines byte for byte
    const lines = (s: string) => s.trimEnd().split('\n');
    expect(lines(cli)[0]).toBe(lines(api)[0]);
    expect(lines(cli).slice(1).sort()).toEqual(lines(api).slice(1).sort());
    expect(lines(api).length).toBeGreaterThan(5);
  }, 180_000);

  it('concentration --by-source (every published series, mining 2024): the same bytes, USGS and the IEA side by side', async () => {
    await sameCsv(
      ['concentration', '--all', '--by-source', '--stage', 'mining', '--year', '2024'],
      '/api/concentration/series?stage=mining&year=2024&format=csv',
      SERIES_PANEL_FIELDS.map((f) => f.key).join(','),
      20,
    );
  }, 180_000);

  it('concentration --by-source: a clear exit 2 for --dataset (it lists every dataset) and for a year without series', async () => {
    const d = await runCli(['concentration', '-m', 'cobalt', '--by-source', '--dataset', 'iea-cm', '--db', db], { timeoutMs: 120_000 });
    expect([d.code, d.stderr.trim()]).toEqual([2, 'chokepoint: --by-source lists every dataset side by side; drop --dataset']);
    const y = await runCli(['concentration', '-m', 'cobalt', '--by-source', '--year', '1990', '--db', db], { timeoutMs: 120_000 });
    expect(y.code).toBe(2);
    expect(y.stderr).toMatch(/^chokepoint: no mining series for Cobalt in 1990; years with data: .*2024/);
  }, 180_000);

  it('criticality, every method, two materials, no bands', async () => {
    await sameCsv(
      ['criticality', '--method', 'all', '--as', 'EU', '-m', 'gallium', 'cobalt', '--samples', '0'],
      '/api/criticality?method=all&as=EU&material=gallium,cobalt&samples=0&format=csv',
      CRITICALITY_CSV_COLUMNS.join(','),
      2,
    );
  }, 180_000);

  it('coalition share (MSP, refining, 2035, the six IEA minerals)', async () => {
    await sameCsv(
      ['coalition', 'share', '--group', 'MSP', '--stage', 'refining', '--year', '2035', '--iea'],
      '/api/coalition/share?group=MSP&stage=refining&year=2035&dataset=iea-cm&format=csv',
      'coalition,material,stage,year,scenario,dataset,measure,detail,inside_share,outside_share,unallocated_share,inside_share_max,members_present,largest_outside,largest_outside_share,total,unit,basis,gaps,source',
      6,
    );
  }, 180_000);

  it('coalition N-1 (MSP, 2035)', async () => {
    await sameCsv(
      ['coalition', 'n1', '--group', 'MSP', '--year', '2035'],
      '/api/coalition/n1?group=MSP&year=2035&format=csv',
      'coalition,material,stage,year,member_share,unallocated_share,largest_outside,largest_outside_share,a_remaining_share,a_coverage_world_demand,b_self_sufficiency_world_demand,b_with_unallocated_world_demand,b_self_sufficiency_member_consumption,demand_tonnes,demand_proxy,source',
      6,
    );
  }, 180_000);

  it('CRMA 65 % test: inputs with 4 decimals on both edges', async () => {
    const { cli, api } = await bothEdges(['coalition', 'crma'], '/api/coalition/crma?format=csv');
    expect(cli).toBe(api);
    expect(api.split('\n')[0]).toBe(
      'status,annex_item,srm,material,stage,basis,dataset,year,scenario,top_third_country,top_third_share,eu27_share,unallocated_share,inputs,reason,source',
    );
    expect(api).toMatch(/\b[A-Z]{3}:0\.\d{4}\b/);
    expect(api).not.toMatch(/\b[A-Z]{3}:0\.\d{3}(?!\d)/);
  }, 180_000);

  it('deal (Thacker Pass, MSP, 2030): before/after with the removed country named and a source per row', async () => {
    const { cli, api } = await bothEdges(
      ['coalition', 'deal', '--project', 'thacker-pass', '--group', 'MSP', '--year', '2030'],
      '/api/coalition/deal?project=thacker-pass&group=MSP&year=2030&format=csv',
    );
    expect(cli).toBe(api);
    expect(api.split('\n')[0]).toBe('metric,before,after,source');
    expect(api).toMatch(/^coverage_without_CHN,/m);
  }, 180_000);

  it('middle-power roles (IDN, CHN)', async () => {
    await sameCsv(
      ['coalition', 'roles', '--country', 'IDN,CHN'],
      '/api/coalition/roles?country=IDN,CHN&format=csv',
      'country,role,material,year,share,evidence,sources',
      2,
    );
  }, 180_000);

  it('registry measures, agreements and projects', async () => {
    await sameCsv(
      ['registry', 'list', 'measures', '-m', 'gallium'],
      '/api/registry/measures?material=gallium&format=csv',
      'id,title,country,direction,type,materials,stages,hsCodes,targets,announced,effective,suspended,suspendedUntil,ended,status,url,source',
      2,
    );
    await sameCsv(
      ['registry', 'list', 'agreements'],
      '/api/registry/agreements?format=csv',
      'id,title,type,parties,materials,signed,inForce,ended,url,source',
      3,
    );
    await sameCsv(
      ['registry', 'list', 'projects'],
      '/api/registry/projects?format=csv',
      'id,name,country,materials,stage,capacityTonnesPerYear,basis,status,expectedStartYear,partners,url,source',
      2,
    );
  }, 240_000);

  it('timeline (gallium)', async () => {
    await sameCsv(['timeline', '-m', 'gallium'], '/api/timeline?material=gallium&format=csv', 'date,event,record,title,countries,materials,type,url,source', 3);
  }, 180_000);

  it('alerts (the starter rules, evaluated when the store was built)', async () => {
    await sameCsv(['alerts'], '/api/alerts?format=csv', 'firstSeen,severity,severityReason,rule,material,stage,year,title,detail,active,sources', 1);
  }, 180_000);
  it('export: overview, shares and trend tables (headers, a source per row)', async () => {
    for (const [args, url] of [
      [['export', '--table', 'overview'], '/api/export?table=overview&format=csv'],
      [
        ['export', '--table', 'shares', '--material', 'cobalt', '--stage', 'mining', '--year', '2024'],
        '/api/export?table=shares&material=cobalt&stage=mining&year=2024&format=csv',
      ],
      [['export', '--table', 'trend', '--material', 'lithium'], '/api/export?table=trend&material=lithium&format=csv'],
    ] as const) {
      const { cli, api } = await bothEdges([...args], url);
      expect(cli, url).toBe(api);
      expect(api.trimEnd().split('\n').length, url).toBeGreaterThan(3);
    }
  }, 240_000);
  it('demand: consumption by country (lithium, cobalt, 2035) and stockpile cover (JPN, DEU)', async () => {
    await sameCsv(
      ['demand', '-m', 'lithium,cobalt', '-y', '2035'],
      '/api/demand?material=lithium,cobalt&year=2035&format=csv',
      'countryId,country,material,year,demandScenario,demandScope,demandBasis,worldDemandTonnes,tonnes,tonnesLow,tonnesHigh,share,shareLow,shareHigh,method,basis,estimate,assumed,conversion,gap,source,sourceIds',
      2,
    );
    // the options after `cover` (they used to be `demand`'s only: `demand cover --year 2035` was refused)
    await sameCsv(
      ['demand', 'cover', '-m', 'lithium', '-y', '2035', '--holders', 'JPN,DEU'],
      '/api/demand/cover?material=lithium&year=2035&holders=JPN,DEU&format=csv',
      'holder,holderName,material,stage,year,removed,demandTonnes,demandScope,lostShare,holderConsumptionTonnes,holderConsumptionLow,holderConsumptionHigh,consumptionMethod,consumptionAssumed,stockpileDays,stockpileTonnes,daysOfCover,exhaustedMonth,gaps,note,consumptionSource',
      2,
    );
    // and before it, as `demand`'s
    const before = await runCli(['demand', '-m', 'lithium', '-y', '2035', '--format', 'csv', '--db', db, 'cover', '--holders', 'JPN,DEU'], {
      timeoutMs: 120_000,
    });
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toBe(await (await createApp(kb).request('/api/demand/cover?material=lithium&year=2035&holders=JPN,DEU&format=csv')).text());
    const xlsx = await createApp(kb).request('/api/demand/cover?material=lithium&year=2035&holders=JPN,DEU&format=xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
  }, 240_000);

  it('prices (cobalt, window 3): CLI CSV = API CSV, one row per series and year of the JSON', async () => {
    const { cli, api } = await bothEdges(['prices', '-m', 'cobalt', '--window', '3'], '/api/materials/cobalt/prices?window=3&format=csv');
    expect(cli).toBe(api);
    const lines = api.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'material,series,unit,market,basis,year,estimated,value,low,high,status,usdPerTonne,yoy,rollingRange,edition,sourceId,revisions,note',
    );
    const json = (await (await createApp(kb).request('/api/materials/cobalt/prices?window=3')).json()) as {
      series: Array<{ years: Array<{ year: number; value: number | null; edition: number }> }>;
    };
    const years = json.series.flatMap((s) => s.years);
    expect(years.length).toBeGreaterThan(3);
    expect(lines.length - 1).toBe(years.length);
    const last = years.at(-1)!;
    expect(lines.at(-1)).toContain(`,${last.year},`);
    expect(lines.at(-1)).toContain(`,MCS${last.edition},`);
    if (last.value !== null) expect(lines.at(-1)).toContain(`,${last.value},`);
  }, 180_000);
  it('optimise stockpile (stress stand-in) and coalition builder: CLI CSV = POST …?format=csv', async () => {
    const post = (path: string, body: unknown) =>
      createApp(kb).request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const cases = [
      {
        cli: ['optimise', 'stockpile', '-m', 'cobalt', '--year', '2024', '--budget', '5000', '--scenario-source', 'stress'],
        path: '/api/optimise/stockpile?format=csv',
        body: { materials: ['cobalt'], year: 2024, budget: 5000, scenarioSource: 'stress' },
        header: 'material,stockTonnes,spent,budgetUnit,expectedShortfallTonnesWithout,expectedShortfallTonnesWith,expectedReleaseTonnes,scenarioSource,seed',
      },
      {
        cli: ['optimise', 'coalition', '--bloc', 'MSP', '-m', 'cobalt', '--year', '2024', '--target', '0.2'],
        path: '/api/optimise/coalition?format=csv',
        body: { bloc: 'MSP', materials: ['cobalt'], year: 2024, target: 0.2 },
        header: 'material,demandTonnes,demandProxy,bloc,alone,withPartners,checkCoalitionN1,target,partners,source',
      },
    ];
    for (const k of cases) {
      const cli = await runCli([...k.cli, '--format', 'csv', '--db', db], { timeoutMs: 120_000 });
      expect(cli.code, cli.stderr).toBe(0);
      const res = await post(k.path, k.body);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      const api = await res.text();
      expect(api.split('\n')[0]).toBe(k.header);
      expect(cli.stdout).toBe(api);
      expect(api.trimEnd().split('\n').length).toBe(2);
    }
    const bad = await post('/api/optimise/coalition?format=pdf', cases[1].body);
    expect(bad.status).toBe(400);
  }, 240_000);
  it('N-1 sweep with own use (refining, 2035): the netted reading and its range on both edges', async () => {
    const { cli, api } = await bothEdges(
      ['stress', '--n1', '--all', '--stage', 'refining', '--year', '2035'],
      '/api/stress/n1?stage=refining&year=2035&format=csv',
    );
    expect(api.split('\n')[0]).toBe(
      'material,stage,year,scenario,removed,isLargest,removedShare,supplyTonnes,remainingTonnes,remainingSupplyShare,demandTonnes,demandScenario,coverageWorld,coverageNetted,coverageNettedLow,coverageNettedHigh,nettedDemandTonnes,nettedDemandScope,ownUseShare,ownUseLow,ownUseHigh,ownUseMethod,ownUseAssumed,ownUseSource,nettedNote,source',
    );
    expect(cli).toBe(api);
    expect(api).toMatch(/^graphite,refining,2035,/m);
    expect(api.trimEnd().split('\n').length).toBeGreaterThan(4);
  }, 180_000);
});
