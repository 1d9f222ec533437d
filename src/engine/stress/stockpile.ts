/**
 * Stockpile cover and recovery over the months of a disruption.
 *
 *   days of consumption  = stockpile ÷ (holder's consumption / 365)
 *   days of cover        = stockpile ÷ (holder's shortfall per day in month 1)   (no recovery assumed)
 *   month m (1..duration), holder's share h of the lost supply L (t/yr):
 *     replaced_m  = min(L, spare·[m > lead] + others·r·m/12) · h / 12   (spare capacity after a lead time,
 *                   then other suppliers ramp up by r × their pre-shock output per year)
 *     recycled_m  = min(L·h/12 − replaced_m, S·r_s·m/12 · h/12)   (extra end-of-life recycling: the recycled input S ramps
 *                   up by r_s of itself per year; r_s = 0 unless a scenario gives one, as no published rate is held)
 *     gap_m       = L·h/12 − replaced_m − recycled_m
 *     drawdown_m  = min(stock_{m−1}, gap_m);  unmet_m = gap_m − drawdown_m
 * Conservation (tested): Σ(replaced + recycled + drawdown + unmet) = L·h·duration/12.
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
  /** Recycled input before the shock (t/yr of demand met by end-of-life scrap), and its extra growth per year as a
   * fraction of itself; both 0 by default (no ramp assumed). */
  recycledInputTonnesPerYear?: number;
  recyclingRampSharePerYear?: number;
}

export interface RecoveryMonth {
  month: number;
  lostTonnes: number;
  replacedTonnes: number;
  /** Met by extra recycling (the recycled input's ramp-up), after other suppliers. */
  recycledTonnes: number;
  gapTonnes: number;
  drawdownTonnes: number;
  unmetTonnes: number;
  stockpileEndTonnes: number;
}

export interface Recovery {
  stockpileDaysOfConsumption: number | null;
  stockpileDaysOfCover: number | null; // against the month-1 shortfall, no recovery; null when there is no shortfall
  stockpileExhaustedMonth: number | null; // first month the stockpile runs out, with recovery; null if it lasts
  monthsToFullReplacement: number | null; // first month replaced (+ recycled) ≥ lost; null if not within the duration
  totalLostTonnes: number;
  totalReplacedTonnes: number;
  totalRecycledTonnes: number;
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
  const tot = { lost: 0, replaced: 0, recycled: 0, draw: 0, unmet: 0 };
  const recyclingRate = (inp.recycledInputTonnesPerYear ?? 0) * (inp.recyclingRampSharePerYear ?? 0);
  const n = Math.max(0, Math.ceil(inp.durationMonths));
  for (let m = 1; m <= n; m++) {
    const frac = Math.min(1, inp.durationMonths - (m - 1)); // a partial last month
    const replacementRate = Math.min(
      inp.lostTonnesPerYear,
      (m > inp.spareLeadMonths ? inp.spareCapacityTonnesPerYear : 0) + (inp.othersSupplyTonnesPerYear * inp.rampUpSharePerYear * m) / 12,
    );
    const lost = lostM * frac;
    const replaced = ((replacementRate * inp.holderShare) / 12) * frac;
    // As for other suppliers: an annual rate growing by m/12 of the year's ramp, a twelfth of it per month.
    const recycled = Math.min(Math.max(0, lost - replaced), ((((recyclingRate * m) / 12) * inp.holderShare) / 12) * frac);
    const gap = Math.max(0, lost - replaced - recycled);
    const draw = Math.min(stock, gap);
    stock -= draw;
    const unmet = gap - draw;
    if (exhausted === null && unmet > 1e-9 && inp.stockpileTonnes > 0) exhausted = m;
    if (full === null && lost > 0 && replaced + recycled >= lost - 1e-9) full = m;
    tot.lost += lost;
    tot.replaced += replaced;
    tot.recycled += recycled;
    tot.draw += draw;
    tot.unmet += unmet;
    months.push({
      month: m,
      lostTonnes: lost,
      replacedTonnes: replaced,
      recycledTonnes: recycled,
      gapTonnes: gap,
      drawdownTonnes: draw,
      unmetTonnes: unmet,
      stockpileEndTonnes: stock,
    });
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
    totalRecycledTonnes: tot.recycled,
    totalDrawdownTonnes: tot.draw,
    totalUnmetTonnes: tot.unmet,
    months,
  };
}

/** Stockpile in tonnes from "days of consumption". */
export const stockpileTonnesFromDays = (days: number, consumptionTonnesPerYear: number): number => (days * consumptionTonnesPerYear) / 365;
