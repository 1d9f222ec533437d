/**
 * Minerals-diplomacy registry: agreements and partnerships, export controls and other trade measures, and supply
 * projects. Each record cites a `sourceId` (a row of `sources`, so publisher, licence and caveat travel with it) and
 * keeps its own primary `url` where one is known. Records are validated with these schemas at every entry point:
 * the importers, `chokepoint registry add` and the API.
 *
 * Conventions:
 * - Parties and countries are ISO3 codes; a bloc party may be a grouping id of the knowledge base ("EU27", "MSP").
 * - `materials` are material ids of `src/model/materials.ts`; an empty list means "critical minerals in general"
 *   (a framework that names no mineral), never "unknown".
 * - Dates are ISO 8601 with the precision the source gives: "2023", "2023-07" or "2023-07-03".
 */
import { z } from 'zod';
import { BasisSchema, StageSchema } from './schema.ts';

export const IsoDateSchema = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'date as YYYY, YYYY-MM or YYYY-MM-DD');
export type IsoDate = z.infer<typeof IsoDateSchema>;

const RecordId = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,120}$/, 'lower-case id: letters, digits, ".", "_", "-"');
const PartyId = z.string().regex(/^[A-Z][A-Z0-9_+-]{1,30}$/, 'ISO3 code or grouping id in capitals, e.g. USA or EU27');
const MaterialId = z.string().regex(/^[a-z0-9-]+$/, 'material id, e.g. gallium or graphite-natural');

/**
 * cooperative: MoU, strategic partnership, dialogue, declaration; binding: treaty or agreement with legal obligations
 * (e.g. a critical-minerals agreement that counts for IRA credits); coercive: arrangement imposed under pressure or
 * tied to market access; offtake: purchase commitment for a project's output; investment_fund: a joint fund or
 * financing vehicle.
 */
export const AGREEMENT_TYPES = ['cooperative', 'binding', 'coercive', 'offtake', 'investment_fund'] as const;
export const AgreementTypeSchema = z.enum(AGREEMENT_TYPES);

export const AgreementSchema = z
  .object({
    id: RecordId,
    title: z.string().min(3).max(300),
    type: AgreementTypeSchema,
    parties: z.array(PartyId).min(1, 'name at least one party'),
    /**
     * Groupings (ids of the knowledge base's groupings, e.g. "MSP") this agreement founds, runs or succeeds, so a
     * grouping's deals can be listed: the agreement, and every project citing it in `agreementIds`.
     */
    groupIds: z.array(PartyId).optional(),
    materials: z.array(MaterialId),
    signed: IsoDateSchema.nullable(),
    inForce: IsoDateSchema.nullable(),
    ended: IsoDateSchema.nullable(),
    summary: z.string().max(4000).nullable(),
    url: z.string().url().nullable(),
    sourceId: z.string().min(1),
  })
  .strict();
export type Agreement = z.infer<typeof AgreementSchema>;

/** ban: prohibition (possibly to named targets); licence: licensing requirement; quota; tax: export duty or tax. */
export const MEASURE_TYPES = ['ban', 'licence', 'quota', 'tax', 'other'] as const;
export const MeasureTypeSchema = z.enum(MEASURE_TYPES);

export const TradeMeasureSchema = z
  .object({
    id: RecordId,
    title: z.string().min(3).max(300),
    countryId: PartyId, // the imposing country (ISO3) or bloc
    direction: z.enum(['export', 'import']),
    measureType: MeasureTypeSchema,
    materials: z.array(MaterialId),
    /** Supply-chain stages the controlled products belong to (ore → mining; metal, oxide, chemicals → refining). */
    stages: z.array(StageSchema),
    hsCodes: z.array(z.string().regex(/^\d{4,10}$/, 'HS code, 4 to 10 digits')),
    /** Destinations the measure targets; empty = every destination. */
    targets: z.array(PartyId),
    announced: IsoDateSchema.nullable(),
    effective: IsoDateSchema.nullable(),
    /** Suspended from this date; a suspension announced before the effective date means the measure never applied. */
    suspended: IsoDateSchema.nullable(),
    /** End of a time-limited suspension as announced (e.g. "until 2026-11-10"); null if open-ended or unknown. */
    suspendedUntil: IsoDateSchema.nullable().optional(),
    ended: IsoDateSchema.nullable(),
    summary: z.string().max(4000).nullable(),
    url: z.string().url().nullable(),
    sourceId: z.string().min(1),
  })
  .strict()
  .refine((m) => m.materials.length > 0 || m.hsCodes.length > 0, { message: 'name at least one material or HS code', path: ['materials'] });
export type TradeMeasure = z.infer<typeof TradeMeasureSchema>;

export const PROJECT_STATUSES = ['announced', 'feasibility', 'financing', 'construction', 'operating', 'suspended', 'cancelled'] as const;

export const ProjectSchema = z
  .object({
    id: RecordId,
    name: z.string().min(2).max(300),
    countryId: PartyId, // where the asset is
    materials: z.array(MaterialId).min(1, 'name the material the project produces'),
    stage: StageSchema,
    /** Nameplate output per year in tonnes of `basis`; null when no figure is published. */
    capacityTonnesPerYear: z.number().finite().positive().nullable(),
    basis: BasisSchema,
    status: z.enum(PROJECT_STATUSES),
    expectedStartYear: z.number().int().min(1950).max(2100).nullable(),
    /** Partner finance or offtake: who (ISO3 or grouping), how, how much. */
    partners: z.array(
      z
        .object({
          partnerId: PartyId,
          role: z.string().min(2).max(200), // "DFC loan", "EXIM letter of interest", "offtake", "equity"
          amountUsd: z.number().finite().nonnegative().nullable(),
        })
        .strict(),
    ),
    agreementIds: z.array(RecordId),
    summary: z.string().max(4000).nullable(),
    url: z.string().url().nullable(),
    sourceId: z.string().min(1),
  })
  .strict();
export type Project = z.infer<typeof ProjectSchema>;

export interface Registry {
  agreements: Agreement[];
  measures: TradeMeasure[];
  projects: Project[];
}

export const emptyRegistry = (): Registry => ({ agreements: [], measures: [], projects: [] });

/**
 * Whether a measure is in effect on a date (ISO string): effective on or before, not ended, and not
 * within a suspension. A time-limited suspension whose end date has passed counts as lapsed (the measure applies
 * again) unless the registry records an extension; `measureStatus` says so in words.
 */
export function measureInEffect(m: TradeMeasure, on: string): boolean {
  // An announcement without an effective date (a plan, a proposal) is not counted as in effect.
  const start = m.effective;
  if (!start || start > on) return false;
  if (m.ended && m.ended <= on) return false;
  if (m.suspended && m.suspended <= on && !(m.suspendedUntil && m.suspendedUntil <= on)) return false;
  return true;
}

/** The state of a measure on a date, derived from its dates (never stored): what every view shows "today". */
export type MeasureState = 'in_effect' | 'in_effect_again' | 'suspended' | 'announced' | 'ended' | 'undated';

export function measureState(m: TradeMeasure, on: string): MeasureState {
  if (m.ended && m.ended <= on) return 'ended';
  if (m.suspended && m.suspended <= on) {
    if (!m.suspendedUntil || m.suspendedUntil > on) return 'suspended';
    // The suspension ran out and no extension is recorded: the measure applies (again, or for the first time).
    return 'in_effect_again';
  }
  if (m.effective && m.effective <= on) return 'in_effect';
  if (m.effective || m.announced) return 'announced';
  return 'undated';
}

/**
 * The status of a measure on a date, in words, derived from its dates at view time: "suspended 2025-11-09 until
 * 2026-11-27" before that date, "in effect again since 2026-11-27 …" after it (unless the registry records an
 * extension, i.e. a later `suspendedUntil`).
 */
export function measureStatus(m: TradeMeasure, on: string): string {
  const start = m.effective ?? m.announced;
  const never = start && m.suspended && m.suspended < start;
  switch (measureState(m, on)) {
    case 'ended':
      return `ended ${m.ended}`;
    case 'suspended':
      return m.suspendedUntil
        ? `suspended ${m.suspended}${never ? ' before taking effect' : ''} until ${m.suspendedUntil}`
        : `suspended since ${m.suspended}${never ? ' before taking effect' : ''}`;
    case 'in_effect_again':
      return never
        ? `in effect since ${m.suspendedUntil} (suspended before taking effect, ${m.suspended} to ${m.suspendedUntil}; no extension recorded)`
        : `in effect again since ${m.suspendedUntil} (suspension ${m.suspended} to ${m.suspendedUntil} ran out; no extension recorded)`;
    case 'in_effect':
      return `in effect since ${m.effective}`;
    case 'announced':
      return m.effective
        ? `announced${m.announced ? ` ${m.announced}` : ''}, effective from ${m.effective}`
        : `announced ${m.announced}; no effective date recorded`;
    case 'undated':
      return 'undated';
  }
}
