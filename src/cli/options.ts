/**
 * What every `chokepoint` command module shares: the user-error type `main()` reports with exit code 2, argument
 * parsers, the --format and --db options, and opening the knowledge base for one command. Kept apart from main.ts so
 * the command modules can import it without an import cycle.
 */
import { InputError } from '../model/errors.ts';
import { InvalidArgumentError, Option } from 'commander';
import { resolveMaterial, suggestMaterials } from '../model/materials.ts';
import type { KnowledgeBase, OpenOptions } from '../store/knowledge-base.ts';
import type { DatasetScope } from '../store/load.ts';

/** A mistake in what the user typed, already worded for the command line: `main()` prints it and exits with code 2. */
export class UserError extends InputError {
  constructor(message: string) {
    super(null, message);
    this.name = 'UserError';
  }
}

export function materialArg(raw: string): string {
  const id = resolveMaterial(raw);
  if (!id) throw new UserError(`unknown material "${raw}". Did you mean: ${suggestMaterials(raw).join(', ')}? (run "chokepoint materials" for the list)`);
  return id;
}

/** A repeatable comma-separated option ("--country IDN,CHN --country KAZ") as one list. */
export const listArg = (raw: string, prev: string[] = []): string[] => [
  ...prev,
  ...raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

/** The same for material names, each resolved (or refused with suggestions). */
export const materialList = (raw: string, prev: string[] = []): string[] => [...prev, ...listArg(raw).map(materialArg)];

export function intArg(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${raw}" is not a whole number`);
  return n;
}

export function numArg(raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`"${raw}" is not a number`);
  return n;
}

export const formatOption = () => new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table');
export const dbOption = () => new Option('--db <path>', 'store file (default: $CHOKEPOINT_DB or ~/.local/share/chokepoint/chokepoint.duckdb)');

/**
 * Open the knowledge base for one command and close it afterwards (imported lazily: rendering needs no store).
 * `scope` limits what is read to what the command needs (one material's rows); the store is opened read-only until
 * the command writes, so reads work beside a running server.
 */
export async function withKb<T>(
  opts: { db?: string },
  fn: (kb: KnowledgeBase) => Promise<T> | T,
  scope?: DatasetScope,
  open: Pick<OpenOptions, 'tradeOnDemand'> = {},
): Promise<T> {
  const { openKnowledgeBase } = await import('../store/knowledge-base.ts');
  const kb = await openKnowledgeBase({ dbPath: opts.db, scope, lockWaitMs: 3_000, ...open });
  if (kb.staleReadOnly) process.stderr.write(`chokepoint: note: ${kb.staleReadOnly}\n`);
  try {
    return await fn(kb);
  } finally {
    kb.close();
  }
}

/**
 * For commands whose only use of the index is the alert evaluation after a change (imports, registry and rule edits,
 * `alerts evaluate`): no trade flow at open; the evaluation reads those its rules ask for (src/store/alerts.ts).
 */
export const ALERTS_ONLY = { tradeOnDemand: true } as const;

/** What a command answered from the store's summaries reads into JS: no observation, trade flow or WGI row. */
export const NO_OBSERVATIONS: DatasetScope = { materials: [], governance: false };

/** What a command about one material reads: its own rows (every source, grouping and registry record), no WGI. */
export const oneMaterial = (materialId: string): DatasetScope => ({ materials: [materialId], governance: false });
