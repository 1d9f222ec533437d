// The competent alternative for bench/startup.ts: plain Node + DuckDB, one SQL query for the HHI of cobalt mining 2024
// in the USGS MCS2025 series (shares of the world total, as the CLI computes them), printed as JSON.
import { DuckDBInstance } from '@duckdb/node-api';

const instance = await DuckDBInstance.create(process.argv[2], { access_mode: 'READ_ONLY' });
const conn = await instance.connect();
const r = await conn.runAndReadAll(`
  with s as (
    select country_id, value from observations
    where material_id = 'cobalt' and stage = 'mining' and measure = 'production' and year = 2024 and source_id = 'usgs-mcs-2025-world'
  )
  select round(10000 * sum(pow(value / (select value from s where country_id = 'WLD'), 2))) as hhi_points
  from s where country_id not in ('WLD', 'OTH') and value is not null`);
console.log(JSON.stringify({ hhiPoints: Number(r.getRows()[0][0]) }));
