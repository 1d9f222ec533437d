/**
 * Stockpile cover and recovery over the months of a disruption.
 *
 *   days of consumption  = stockpile ÷ (holder's consumption / 365)
 *   days of cover        = stockpile ÷ (holder's shortfall per day in month 1)   (no recovery assumed)
 *   month m (1..duration), holder's share h of the lost supply L (t/yr):
 *     replaced_m  = min(L, spare·[m > lead] + others·r·m/12) · h / 12   (spare capacity after a lead time,
 *                   then other suppliers ramp up by r × their pre-shock output per year)
 *     gap_m       = L·h/12 − replaced_m
 *     drawdown_m  = min(stock_{m−1}, gap_m);  unmet_m = gap_m − drawdown_m
 * Conservation (tested): Σ(replaced + drawdown + unmet) = L·h·duration/12.
 * The shock is assumed to end after `durationMonths`; demand response to price is not netted here (see price.ts).
 */

export interface RecoveryInput {
  lostTonnesPerYear: number; // supply lost to the affected consumers (annual rate)
  holderShare: number; // share of the loss borne by the stockpile holder (1 = the holder is all affected consumers)
  holderConsumptionTonnesPerYear: number | null;
  stockpileTonnes: number;
  durationMonths: number;
  spareCapacityTonnesPerYear: number; // unaffected producers' spare capacity
  spareLeadMonths: number; // months before spare capacity delivers
  othersSupplyTonnesPerYear: number; // unaffected producers' pre-shock output
  rampUpSharePerYear: number; // growth of unaffected producers' output per year, fraction of their output
}

export interface RecoveryMonth {
  month: number;
  lostTonnes: number;
  replacedTonnes: number;
  gapTonnes: number;
  drawdownTonnes: number;
  unmetTonnes: number;
  stockpileEndTonnes: number;
}

export interface Recovery {
  stockpileDaysOfConsumption: number | null;
  stockpileDaysOfCover: number | null; // against the month-1 shortfall, no recovery; null when there is no shortfall
  stockpileExhaustedMonth: number | null; // first month the stockpile runs out, with recovery; null if it lasts
  monthsToFullReplacement: number | null; // first month replaced ≥ lost; null if not within the duration
  totalLostTonnes: number;
  totalReplacedTonnes: number;
  totalDrawdownTonnes: number;
  totalUnmetTonnes: number;
  months: RecoveryMonth[];
}

export function recoveryTimeline(inp: RecoveryInput): Recovery {
  const months: RecoveryMonth[] = [];
  const lostM = (inp.lostTonnesPerYear * inp.holderShare) / 12;
  let stock = inp.stockpileTonnes;
  let exhausted: number | null = null;
  let full: number | null = null;
  const tot = { lost: 0, replaced: 0, draw: 0, unmet: 0 };
  const n = Math.max(0, Math.ceil(inp.durationMonths));
  for (let m = 1; m <= n; m++) {
    const frac = Math.min(1, inp.durationMonths - (m - 1)); // a partial last month
    const replacementRate = Math.min(
      inp.lostTonnesPerYear,
      (m > inp.spareLeadMonths ? inp.spareCapacityTonnesPerYear : 0) + (inp.othersSupplyTonnesPerYear * inp.rampUpSharePerYear * m) / 12,
    );
    const lost = lostM * frac;
    const replaced = ((replacementRate * inp.holderShare) / 12) * frac;
    const gap = Math.max(0, lost - replaced);
    const draw = Math.min(stock, gap);
    stock -= draw;
    const unmet = gap - draw;
    if (exhausted === null && unmet > 1e-9 && inp.stockpileTonnes > 0) exhausted = m;
    if (full === null && lost > 0 && replaced >= lost - 1e-9) full = m;
    tot.lost += lost;
    tot.replaced += replaced;
    tot.draw += draw;
    tot.unmet += unmet;
    months.push({ month: m, lostTonnes: lost, replacedTonnes: replaced, gapTonnes: gap, drawdownTonnes: draw, unmetTonnes: unmet, stockpileEndTonnes: stock });
  }
  const day1Gap = (inp.lostTonnesPerYear * inp.holderShare) / 365;
  return {
    stockpileDaysOfConsumption:
      inp.holderConsumptionTonnesPerYear && inp.holderConsumptionTonnesPerYear > 0 ? inp.stockpileTonnes / (inp.holderConsumptionTonnesPerYear / 365) : null,
    stockpileDaysOfCover: day1Gap > 0 ? inp.stockpileTonnes / day1Gap : null,
    stockpileExhaustedMonth: exhausted,
    monthsToFullReplacement: full,
    totalLostTonnes: tot.lost,
    totalReplacedTonnes: tot.replaced,
    totalDrawdownTonnes: tot.draw,
    totalUnmetTonnes: tot.unmet,
    months,
  };
}

/** Stockpile in tonnes from "days of consumption". */
export const stockpileTonnesFromDays = (days: number, consumptionTonnesPerYear: number): number => (days * consumptionTonnesPerYear) / 365;
