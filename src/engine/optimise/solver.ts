/**
 * The one door to the HiGHS solver (the `highs` package: HiGHS compiled to WebAssembly, single-threaded). The engine's
 * optimisations build a sparse model (CSR rows) and call `solveModel`; a status other than optimal becomes an
 * `OptimiseError` that says what the status means for the problem asked, never an empty answer.
 *
 * Loading the wasm module is asynchronous (about 0.1 s once per process); solving is synchronous computation.
 */
import type { Highs } from 'highs';
import { InputError, type InputErrorKind } from '../../model/errors.ts';

/** Bad input or a problem without an answer: one of the input-error family (src/model/errors.ts), mapped once per edge. */
export class OptimiseError extends InputError {
  declare readonly field: string;
  constructor(field: string, message: string, kind: 'input' | InputErrorKind = 'input') {
    super(field, message, kind === 'input' ? 'invalid' : kind);
    this.name = 'OptimiseError';
  }
}

let loading: Promise<Highs> | null = null;
export function solver(): Promise<Highs> {
  // Imported when first needed, so commands that never optimise do not load the solver. The package is CommonJS with
  // an ESM build; the loader is its default export either way.
  // In the CommonJS CLI bundle (dist/cli.cjs, run under v8-compile-cache, where a dynamic import() has no callback)
  // `require` loads it; from the TypeScript sources (ESM) `import()` does.
  if (!loading)
    loading = (typeof require === 'function' ? Promise.resolve(require('highs') as unknown) : import('highs'))
      .then((m) => ((m as { default?: unknown }).default ?? m) as () => Promise<Highs>)
      .then((load) => load());
  return loading;
}

/** A model in row form: minimise (or maximise) cᵀx subject to rowLower ≤ Ax ≤ rowUpper, colLower ≤ x ≤ colUpper. */
export class ModelBuilder {
  readonly colCost: number[] = [];
  readonly colLower: number[] = [];
  readonly colUpper: number[] = [];
  readonly integer: boolean[] = [];
  readonly rowLower: number[] = [];
  readonly rowUpper: number[] = [];
  private readonly starts: number[] = [0];
  private readonly indices: number[] = [];
  private readonly values: number[] = [];

  /** Adds a column and returns its index. */
  col(cost: number, lower = 0, upper = Infinity, integer = false): number {
    this.colCost.push(cost);
    this.colLower.push(lower);
    this.colUpper.push(upper);
    this.integer.push(integer);
    return this.colCost.length - 1;
  }

  /** Adds a row lower ≤ Σ coef·x ≤ upper (terms on distinct columns). */
  row(terms: Array<[number, number]>, lower: number, upper: number): number {
    for (const [j, v] of terms) {
      if (v === 0) continue;
      this.indices.push(j);
      this.values.push(v);
    }
    this.starts.push(this.indices.length);
    this.rowLower.push(lower);
    this.rowUpper.push(upper);
    return this.rowLower.length - 1;
  }

  get numCols(): number {
    return this.colCost.length;
  }
  get numRows(): number {
    return this.rowLower.length;
  }

  toModelData(highs: Highs, maximise: boolean) {
    const inf = (v: number) => (v === Infinity ? highs.infinity : v === -Infinity ? -highs.infinity : v);
    const mip = this.integer.some(Boolean);
    return {
      numCols: this.numCols,
      numRows: this.numRows,
      sense: maximise ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
      colCost: Float64Array.from(this.colCost),
      colLower: Float64Array.from(this.colLower, inf),
      colUpper: Float64Array.from(this.colUpper, inf),
      rowLower: Float64Array.from(this.rowLower, inf),
      rowUpper: Float64Array.from(this.rowUpper, inf),
      matrix: {
        format: 'csr' as const,
        numRows: this.numRows,
        numCols: this.numCols,
        starts: Int32Array.from(this.starts),
        indices: Int32Array.from(this.indices),
        values: Float64Array.from(this.values),
      },
      ...(mip ? { integrality: Int32Array.from(this.integer, (b) => (b ? 1 : 0)) } : {}),
    };
  }
}

export interface Solved {
  objective: number;
  x: Float64Array;
  rowDual: Float64Array | null; // null for a MIP
  solveSeconds: number;
  mip: boolean;
}

/**
 * Solves the model. `what` names the problem in messages ("stockpile allocation"); `infeasibleBecause` is the
 * caller's diagnosis, used when HiGHS reports the model infeasible (the caller knows which input made it so).
 */
export async function solveModel(
  m: ModelBuilder,
  o: { maximise?: boolean; what: string; infeasibleBecause?: () => string; timeLimitSeconds?: number },
): Promise<Solved> {
  const highs = await solver();
  const model = highs.createModel(m.toModelData(highs, o.maximise ?? false));
  try {
    model.options.set({ output_flag: false, time_limit: o.timeLimitSeconds ?? 60, mip_rel_gap: 1e-9 });
    const t0 = performance.now();
    model.run();
    const solveSeconds = (performance.now() - t0) / 1000;
    const status = model.getModelStatus();
    const S = highs.constants.modelStatus;
    if (status === S.infeasible)
      throw new OptimiseError('problem', `${o.what} is infeasible: ${o.infeasibleBecause?.() ?? 'no allocation satisfies every constraint'}`, 'infeasible');
    if (status === S.unbounded || status === S.unboundedOrInfeasible)
      throw new OptimiseError(
        'problem',
        `${o.what} is unbounded or infeasible: a quantity without a limit improves the objective without end; give it a bound`,
        'infeasible',
      );
    if (status === S.timeLimit)
      throw new OptimiseError(
        'problem',
        `${o.what}: the solver stopped at its time limit (${o.timeLimitSeconds ?? 60} s) before proving an optimum; make the problem smaller`,
        'infeasible',
      );
    if (status === S.empty) throw new OptimiseError('problem', `${o.what}: the model is empty (no decision to make)`, 'input');
    if (status !== S.optimal) throw new Error(`${o.what}: solver ended with status ${status}`);
    const mip = m.integer.some(Boolean);
    const sol = model.getSolution();
    return { objective: model.getObjectiveValue(), x: sol.colValue, rowDual: mip ? null : sol.rowDual, solveSeconds, mip };
  } finally {
    model.dispose();
  }
}
