/**
 * Optimisation page (#/optimise): the coalition builder, stockpile allocation, coordinated stockpiles and the
 * diversification portfolio, posted to /api/optimise/* (HiGHS in a worker thread on the server). Each form states what it
 * solves; results show every assumption, gap and source (docs/optimisation.md).
 */
import { CoalitionForm } from './optimise/CoalitionForm.tsx';
import { StockpileForm } from './optimise/StockpileForm.tsx';
import { CoordinatedForm } from './optimise/CoordinatedForm.tsx';
import { PortfolioForm } from './optimise/PortfolioForm.tsx';

export function Optimise() {
  return (
    <section aria-labelledby="opt-title">
      <h1 id="opt-title">Optimisation</h1>
      <p className="lede">
        Solved with HiGHS on the server. Models and worked examples: docs/optimisation.md; the same models are in the CLI (<code>chokepoint optimise</code>) and
        the API.
      </p>
      <CoalitionForm />
      <StockpileForm />
      <CoordinatedForm />
      <PortfolioForm />
    </section>
  );
}
