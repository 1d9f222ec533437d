/**
 * Early warning, storage side: rules live in the store, are evaluated on the in-memory knowledge base after every data
 * import (and on demand), and each alert keeps when it was first and last seen.
 */
import { AlertRuleSchema, type AlertRule, type StoredAlert, type Alert } from '../model/alerts.ts';
import { alertOnDate, evaluateRules, STARTER_RULES } from '../engine/alerts.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import type { StoreApi as Store } from './gate.ts';
import { withAskedTrade } from './load.ts';

export interface RuleRecord {
  rule: AlertRule | null;
  id: string;
  error: string | null; // a stored rule that no longer validates (e.g. written by a newer version)
}

export async function listRules(store: Store): Promise<RuleRecord[]> {
  return (await store.alertRules()).map((r) => {
    const p = AlertRuleSchema.safeParse(r.rule);
    return p.success
      ? { id: r.id, rule: p.data, error: null }
      : { id: r.id, rule: null, error: p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  });
}

/** Install the starter rules once per store (a user who deletes them does not get them back). */
export async function ensureStarterRules(store: Store): Promise<void> {
  if (await store.meta('starter_rules')) return;
  for (const r of STARTER_RULES) await store.putAlertRule(r.id, r);
  await store.setMeta('starter_rules', new Date().toISOString());
}

export interface Evaluation {
  evaluatedAt: string;
  rules: number;
  active: StoredAlert[];
  /** Alerts first seen in this evaluation. */
  fresh: StoredAlert[];
  ruleErrors: Array<{ id: string; error: string }>;
}

export async function evaluateAlerts(store: Store, index: DatasetIndex): Promise<Evaluation> {
  const records = await listRules(store);
  const rules = records.filter((r) => r.rule).map((r) => r.rule!) as AlertRule[];
  const before = new Set((await store.storedAlerts()).map((a) => a.key));
  // A server reading trade flows as requests ask (`tradeOnDemand`): the rules read every flow they ask for first.
  const alerts = index.data.tradeAsked ? await withAskedTrade(store, index, (ix) => evaluateRules(ix, rules)) : evaluateRules(index, rules);
  await store.recordAlerts(
    rules.map((r) => r.id),
    alerts.map((a) => ({ key: a.key, ruleId: a.ruleId, alert: a })),
  );
  const stored = await storedAlerts(store);
  const active = stored.filter((a) => a.active);
  return {
    evaluatedAt: new Date().toISOString(),
    rules: rules.length,
    active,
    fresh: active.filter((a) => !before.has(a.key)),
    ruleErrors: records.filter((r) => r.error).map((r) => ({ id: r.id, error: r.error! })),
  };
}

export async function storedAlerts(store: Store): Promise<StoredAlert[]> {
  return (await store.storedAlerts()).map((r) => ({ ...(r.alert as Alert), firstSeen: r.firstSeen, lastSeen: r.lastSeen, active: r.active }));
}

/**
 * The stored alerts as read on `on` (YYYY-MM-DD), for both edges: a measure alert is re-read against the measure's
 * dates that day (a suspension that ran out reads "in effect again"), under the ceiling of the rule that raised it.
 */
export async function alertsOnDate(store: Store, index: DatasetIndex, on: string): Promise<StoredAlert[]> {
  const ceilings = new Map((await listRules(store)).map((r) => [r.id, r.rule?.severity ?? 'critical'] as const));
  return (await storedAlerts(store)).map((a) => alertOnDate(a, index, ceilings.get(a.ruleId) ?? a.severity, on));
}
