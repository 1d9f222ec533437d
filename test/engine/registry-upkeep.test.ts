/**
 * Registry upkeep (issue 17): measure status derived from dates on the day it is viewed, alert severities that
 * discriminate (with the rule that set them), and the deals a grouping such as the MSP involves — on the bundled seed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureInEffect, measureState, measureStatus, type TradeMeasure } from '../../src/model/registry.ts';
import { alertOnDate, evaluateRule, measureSeverity, STARTER_RULES } from '../../src/engine/alerts.ts';
import { dealsOfGrouping } from '../../src/engine/registry.ts';
import type { DatasetIndex } from '../../src/engine/dataset.ts';
import { bundledIndex } from './bundled-index.ts';

const suspendedToUs: TradeMeasure = {
  id: 'chn-us-ban',
  title: 'China: ban to the US',
  countryId: 'CHN',
  direction: 'export',
  measureType: 'ban',
  materials: ['gallium'],
  stages: ['refining'],
  hsCodes: [],
  targets: ['USA'],
  announced: '2024-12-03',
  effective: '2024-12-03',
  suspended: '2025-11-09',
  suspendedUntil: '2026-11-27',
  ended: null,
  summary: null,
  url: null,
  sourceId: 's',
};

describe('measure status at view time', () => {
  it('reads "suspended until" before the end date and "in effect again" after it', () => {
    expect(measureStatus(suspendedToUs, '2026-11-26')).toBe('suspended 2025-11-09 until 2026-11-27');
    expect(measureState(suspendedToUs, '2026-11-26')).toBe('suspended');
    expect(measureInEffect(suspendedToUs, '2026-11-26')).toBe(false);
    expect(measureStatus(suspendedToUs, '2026-12-04')).toMatch(/^in effect again since 2026-11-27/);
    expect(measureState(suspendedToUs, '2026-12-04')).toBe('in_effect_again');
    expect(measureInEffect(suspendedToUs, '2026-12-04')).toBe(true);
  });

  it('a measure suspended before it took effect applies once the suspension runs out', () => {
    const m = { ...suspendedToUs, announced: '2025-10-09', effective: '2025-11-08', suspended: '2025-11-07', suspendedUntil: '2026-11-10' };
    expect(measureStatus(m, '2026-01-01')).toBe('suspended 2025-11-07 before taking effect until 2026-11-10');
    expect(measureStatus(m, '2026-11-10')).toMatch(/^in effect since 2026-11-10 \(suspended before taking effect/);
  });
});

describe('alert severity', () => {
  it('grades measures by state and type under the rule ceiling, saying why', () => {
    const ban = measureSeverity(suspendedToUs, '2026-12-04', 'critical');
    expect(ban.severity).toBe('critical');
    expect(ban.severityReason).toMatch(/ban in effect again/);
    expect(measureSeverity(suspendedToUs, '2026-01-01', 'critical').severity).toBe('warning'); // suspended with an end date
    expect(measureSeverity({ ...suspendedToUs, measureType: 'licence' }, '2026-12-04', 'critical').severity).toBe('warning');
    expect(measureSeverity({ ...suspendedToUs, ended: '2026-01-01' }, '2026-12-04', 'critical').severity).toBe('info');
    const capped = measureSeverity(suspendedToUs, '2026-12-04', 'warning');
    expect(capped.severity).toBe('warning');
    expect(capped.severityReason).toMatch(/capped at warning/);
  });

  let index: DatasetIndex;
  beforeAll(async () => {
    index = await bundledIndex();
  }, 240_000);

  it('the starter rules on the bundled data raise alerts of more than one severity', () => {
    const alerts = STARTER_RULES.flatMap((r) => evaluateRule(index, r, '2026-12-04'));
    const by = (s: string) => alerts.filter((a) => a.severity === s).length;
    expect(alerts.length).toBeGreaterThan(10);
    expect(by('critical')).toBeGreaterThan(0);
    expect(by('critical')).toBeLessThan(alerts.length);
    expect(by('warning') + by('info')).toBeGreaterThan(0);
    for (const a of alerts) expect(a.severityReason.length).toBeGreaterThan(10);
    // The DRC's ended 2025 cobalt ban is history, its quotas are in force.
    const codBan = alerts.find((a) => a.measureId === 'cod-cobalt-export-suspension-2025' && a.ruleId === 'export-measures-2024')!;
    expect(codBan.severity).toBe('info');
    const codQuota = alerts.find((a) => a.measureId === 'cod-cobalt-export-quotas-2025' && a.ruleId === 'export-measures-2024')!;
    expect(codQuota.severity).toBe('critical');
  });

  it('a stored alert re-read later follows the measure dates (suspension ran out)', () => {
    const rule = STARTER_RULES.find((r) => r.id === 'china-export-controls')!;
    const before = evaluateRule(index, rule, '2026-06-01').find((a) => a.measureId === 'chn-dual-use-ban-usa-2024')!;
    expect(before.detail).toMatch(/suspended 2025-11-09 until 2026-11-27/);
    expect(before.severity).toBe('warning');
    const after = alertOnDate(before, index, 'critical', '2026-12-04');
    expect(after.detail).toMatch(/in effect again since 2026-11-27/);
    expect(after.detail.startsWith(before.detail.split(' — ')[0])).toBe(true);
    expect(after.severity).toBe('critical');
  });

  it('the seed titles do not freeze a status ("suspended") that dates can change', () => {
    for (const m of index.data.registry!.measures) expect(m.title).not.toMatch(/, suspended\)/);
  });
});

describe('deals of a grouping', () => {
  it('answers "which deals does the MSP involve?" from the seed', async () => {
    const index = await bundledIndex();
    const d = dealsOfGrouping(index.data.registry!, 'MSP');
    const agreementIds = d.agreements.map((a) => a.id);
    expect(agreementIds).toContain('msp-2022');
    expect(agreementIds).toContain('forge-2026');
    const projectIds = d.projects.map((p) => p.id);
    expect(projectIds).toEqual(expect.arrayContaining(['kabanga-nickel', 'syrah-balama', 'chvaletice-manganese']));
    for (const p of d.projects) expect(p.link).toMatch(/msp-2022|forge-2026|MSP is a partner/);
    // a grouping without linked deals gets empty lists, not an error
    expect(dealsOfGrouping(index.data.registry!, 'BRICS_GP').projects).toEqual([]);
  }, 240_000);
});
