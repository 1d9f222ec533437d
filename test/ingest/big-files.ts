/**
 * Synthetic large inputs for the import-memory checks (test/ingest/import-memory.test.ts): well-formed files of a
 * requested size in each streamed kind's format, every key distinct, every value in range. Written line by line to
 * disk, so the test process never holds the file either.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { COUNTRIES } from '../../src/model/countries.ts';

const countries = COUNTRIES.filter((c) => c.kind === 'country');

/** Write `header` then lines from `next` until the file reaches `bytes`; returns the size written. */
function writeLines(file: string, header: string, bytes: number, next: (i: number) => string | null): number {
  const fd = openSync(file, 'w');
  let size = 0;
  let buf: string[] = [header];
  try {
    for (let i = 0; size < bytes; i++) {
      const l = next(i);
      if (l === null) break;
      buf.push(l);
      size += l.length + 1;
      if (buf.length >= 4096) {
        writeSync(fd, buf.join('\n') + '\n');
        buf = [];
      }
    }
    if (buf.length) writeSync(fd, buf.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  return size;
}

/** World Bank WGI long CSV: country × indicator × year, years from 1900 up. */
export function bigWgi(file: string, bytes: number): number {
  const inds = ['va', 'pv', 'ge', 'rq', 'rl', 'cc'];
  return writeLines(file, 'codeindyr,code,countryname,year,indicator,estimate,stddev,nsource,pctrank,pctranklower,pctrankupper', bytes, (i) => {
    const c = countries[i % countries.length];
    const ind = inds[Math.floor(i / countries.length) % inds.length];
    const y = 1900 + Math.floor(i / countries.length / inds.length);
    if (y > 2100) return null;
    return `${c.id}${ind}${y},${c.id},"${c.name}",${y},${ind},${(Math.sin(i) * 2).toFixed(15)},0.2${y % 97}1234567,5,${(y % 100).toFixed(13)},1.5,99.25`;
  });
}

/** Chokepoint's consumption CSV: country × material × year, one source. */
export function bigConsumption(file: string, bytes: number, materials: readonly string[]): number {
  return writeLines(file, 'country,material,year,stage,value,unit,basis,method,publisher,title,url,table,licence,note', bytes, (i) => {
    const c = countries[i % countries.length];
    const m = materials[Math.floor(i / countries.length) % materials.length];
    const y = 1900 + Math.floor(i / countries.length / materials.length);
    if (y > 2100) return null;
    return `${c.id},${m},${y},end_use,${1000 + (i % 9000)}.5,t,contained,apparent consumption,Synthetic Publisher,Synthetic consumption table,https://example.org/c,Table 1,public domain,generated`;
  });
}

/** China customs exports (deep_dive_hs6_monthly.csv): destination × HS6 × month. */
export function bigChinaExports(file: string, bytes: number): number {
  const hs = ['250410', '380110', '811292'];
  return writeLines(file, 'period_dt,partner_name,hs6,val,qty,uv', bytes, (i) => {
    const c = countries[i % countries.length];
    const h = hs[Math.floor(i / countries.length) % hs.length];
    const m = Math.floor(i / countries.length / hs.length);
    const y = 1900 + Math.floor(m / 12);
    if (y > 2100) return null;
    return `${y}-${String((m % 12) + 1).padStart(2, '0')}-01,"${c.name}",${h},${12000 + (i % 5000)}.0,${8000 + (i % 3000)}.0,1.5`;
  });
}

/** UN Comtrade API v1 CSV (the real file's 50 columns): reporter × partner × HS code × month, imports and exports. */
export function bigComtrade(file: string, bytes: number): number {
  const m49 = countries.filter((c) => c.m49).map((c) => Number(c.m49));
  const hs = ['260500', '282200', '810520', '283691', '282520', '750210', '250410', '280530'];
  const header =
    'typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,' +
    'partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,' +
    'customsCode,customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,' +
    'isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,' +
    'isAggregate,commodity_name,hs_code,query_year';
  const reporters = m49.slice(0, 40);
  return writeLines(file, header, bytes, (i) => {
    const partner = m49[i % m49.length];
    let rest = Math.floor(i / m49.length);
    const reporter = reporters[rest % reporters.length];
    rest = Math.floor(rest / reporters.length);
    const flow = rest % 2 ? 'M' : 'X';
    rest = Math.floor(rest / 2);
    const code = hs[rest % hs.length];
    const m = Math.floor(rest / hs.length);
    const y = 2000 + Math.floor(m / 12);
    if (y > 2100) return null;
    const month = (m % 12) + 1;
    const kg = 1000 + (i % 90000);
    const usd = (kg * 3.25).toFixed(3);
    return (
      `C,M,${y}${String(month).padStart(2, '0')}01,${y},${month},${y}${String(month).padStart(2, '0')},${reporter},,,${flow},,${partner},,,0,,,H6,HS,True,${code},,,,` +
      `C00,,0,0,,8,,${kg}.0,False,8,,${kg}.0,False,${kg}.0,False,0.0,False,,${usd},${usd},0,True,False,Generated,${code},${y}`
    );
  });
}
