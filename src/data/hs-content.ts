/**
 * What a tonne of a traded product holds of the material, per HS code: the stated conversion that lets customs tonnes
 * (product weight) be compared with production on its own basis (contained metal, refined metal, LCE, gross weight).
 *
 * Only two kinds of factor are held, both exact in their own terms:
 *  - stoichiometric: the element's mass fraction in the compound the code names, from the standard atomic weights
 *    (CIAAW 2021). Where the code names several compounds (HS 282520: oxide and hydroxide), the range spans them and the
 *    central value is the form traded in bulk, said so in `note`;
 *  - by definition: the code's legal note fixes a minimum content (HS 2022 Chapter 74 note 1(a): refined copper at least
 *    99.85 %, or 97.5 % with limits on other elements). The range runs from the lowest content the note admits to 100 %.
 * Ores, concentrates, mattes and other intermediates (HS 2603, 2605, 7401, 7501, 810520 …) have no factor here: their
 * grade varies by deposit and plant and no published figure per code is held, so a comparison through them is refused
 * with the code named (a gap), never made on an assumed grade.
 */
import type { Basis } from '../model/schema.ts';
import type { CuratedDocument } from '../model/provenance.ts';

export const CIAAW_2021: CuratedDocument = {
  id: 'ciaaw-2021',
  publisher: 'IUPAC Commission on Isotopic Abundances and Atomic Weights (2021)',
  edition: 'Standard atomic weights of the elements 2021, abridged values',
  locator: 'H 1.0080, Li 6.94, C 12.011, O 15.999, Si 28.085, Co 58.933, Ge 72.630',
  url: 'https://www.ciaaw.org/atomic-weights.htm',
  licence: null,
};

export const WCO_HS_2022: CuratedDocument = {
  id: 'wco-hs-2022',
  publisher: 'World Customs Organization (2022)',
  edition: 'Harmonized Commodity Description and Coding System, 2022 edition',
  locator: 'Chapter 74 note 1(a) (refined copper); Chapter 75 subheading note 1(a) (nickel, not alloyed); subheading 2804.61 (silicon)',
  url: 'https://www.wcoomd.org/en/topics/nomenclature/instrument-and-tools/hs-nomenclature-2022-edition.aspx',
  licence: null,
};

/** The documents the factors cite (listed by /api/sources beside the imported sources). */
export const HS_CONTENT_DOCUMENTS: readonly CuratedDocument[] = [CIAAW_2021, WCO_HS_2022];

/** Standard atomic weights (CIAAW 2021, abridged), g/mol. */
const A = { H: 1.008, Li: 6.94, C: 12.011, O: 15.999, Si: 28.085, Co: 58.933, Ge: 72.63 } as const;
const massOf = (formula: Partial<Record<keyof typeof A, number>>): number =>
  Object.entries(formula).reduce((s, [el, n]) => s + A[el as keyof typeof A] * (n as number), 0);

/** Mass fraction of lithium in lithium carbonate, Li2CO3: the LCE conversion's denominator. */
export const LI_IN_LI2CO3 = (2 * A.Li) / massOf({ Li: 2, C: 1, O: 3 });
const LI_IN_LIOH_H2O = A.Li / massOf({ Li: 1, O: 2, H: 3 });
const LI_IN_LIOH = A.Li / massOf({ Li: 1, O: 1, H: 1 });
const CO_IN_COOH2 = A.Co / massOf({ Co: 1, O: 2, H: 2 });
const CO_IN_CO3O4 = (3 * A.Co) / massOf({ Co: 3, O: 4 });
const CO_IN_COO = A.Co / massOf({ Co: 1, O: 1 });
const GE_IN_GEO2 = A.Ge / massOf({ Ge: 1, O: 2 });

export type ContentMethod = 'stoichiometric' | 'definition' | 'same product';

export interface ContentFactor {
  /** HS code or prefix (the longest prefix of a flow's code that has an entry for the basis wins). */
  hs: string;
  /** Materials the code's product is counted for. */
  materials: readonly string[];
  /** The production basis the factor converts product weight to. */
  to: Basis;
  low: number;
  central: number;
  high: number;
  method: ContentMethod;
  /** The product and what the factor assumes, in words. */
  what: string;
  note: string | null;
  document: CuratedDocument | null;
}

const f = (
  hs: string,
  materials: readonly string[],
  to: Basis,
  [low, central, high]: [number, number, number],
  method: ContentMethod,
  what: string,
  document: CuratedDocument | null,
  note: string | null = null,
): ContentFactor => ({ hs, materials, to, low, central, high, method, what, note, document });

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

export const HS_CONTENT: readonly ContentFactor[] = [
  f('283691', ['lithium'], 'contained', [LI_IN_LI2CO3, LI_IN_LI2CO3, LI_IN_LI2CO3], 'stoichiometric', `lithium carbonate Li2CO3: ${pct(LI_IN_LI2CO3)} Li`, CIAAW_2021),
  f('283691', ['lithium'], 'lce', [1, 1, 1], 'same product', 'lithium carbonate is the LCE unit itself', null),
  f(
    '282520',
    ['lithium'],
    'contained',
    [LI_IN_LIOH_H2O, LI_IN_LIOH_H2O, LI_IN_LIOH],
    'stoichiometric',
    `lithium hydroxide monohydrate LiOH·H2O: ${pct(LI_IN_LIOH_H2O)} Li (anhydrous LiOH ${pct(LI_IN_LIOH)} as the upper bound)`,
    CIAAW_2021,
    'the code also covers lithium oxide (Li2O, 46.45 % Li), rarely traded: tonnes of it would be understated',
  ),
  f(
    '282520',
    ['lithium'],
    'lce',
    [LI_IN_LIOH_H2O / LI_IN_LI2CO3, LI_IN_LIOH_H2O / LI_IN_LI2CO3, LI_IN_LIOH / LI_IN_LI2CO3],
    'stoichiometric',
    `lithium hydroxide monohydrate in LCE: ${(LI_IN_LIOH_H2O / LI_IN_LI2CO3).toFixed(4)} t LCE per t (anhydrous ${(LI_IN_LIOH / LI_IN_LI2CO3).toFixed(4)})`,
    CIAAW_2021,
  ),
  f(
    '2822',
    ['cobalt'],
    'contained',
    [CO_IN_COOH2, CO_IN_CO3O4, CO_IN_COO],
    'stoichiometric',
    `cobalt oxides and hydroxides: Co3O4 ${pct(CO_IN_CO3O4)} Co, from Co(OH)2 ${pct(CO_IN_COOH2)} to CoO ${pct(CO_IN_COO)}`,
    CIAAW_2021,
    'pure compounds: crude wet intermediate hydroxide declared here holds less cobalt, so its contained tonnes are overstated',
  ),
  f('28256000', ['germanium'], 'contained', [GE_IN_GEO2, GE_IN_GEO2, GE_IN_GEO2], 'stoichiometric', `germanium dioxide GeO2: ${pct(GE_IN_GEO2)} Ge`, CIAAW_2021),
  // Refinery production of germanium (USGS) counts the metal: the dioxide enters as the germanium it holds.
  f(
    '28256000',
    ['germanium'],
    'refined',
    [GE_IN_GEO2, GE_IN_GEO2, GE_IN_GEO2],
    'stoichiometric',
    `germanium dioxide GeO2 as refined germanium: ${pct(GE_IN_GEO2)} Ge`,
    CIAAW_2021,
  ),
  f('74031', ['copper'], 'contained', [0.975, 0.9985, 1], 'definition', 'refined copper, unwrought: at least 99.85 % Cu, or 97.5 % with other elements under the note’s limits', WCO_HS_2022),
  f('74031', ['copper'], 'refined', [1, 1, 1], 'same product', 'refined copper, unwrought: the product is the refined metal', WCO_HS_2022),
  f(
    '750210',
    ['nickel'],
    'contained',
    [0.975, 0.99, 1],
    'definition',
    'nickel, not alloyed: at least 99 % nickel plus cobalt, cobalt at most 1.5 %',
    WCO_HS_2022,
  ),
  f('750210', ['nickel'], 'refined', [1, 1, 1], 'same product', 'nickel, not alloyed, unwrought: the product is the refined metal', WCO_HS_2022),
  f('280461', ['silicon'], 'contained', [0.9999, 0.9999, 1], 'definition', 'silicon containing at least 99.99 % Si', WCO_HS_2022),
  f('280461', ['silicon'], 'refined', [1, 1, 1], 'same product', 'silicon ≥ 99.99 %: the product is the refined element', WCO_HS_2022),
  f(
    '811292',
    ['gallium', 'germanium', 'indium', 'niobium', 'vanadium'],
    'refined',
    [1, 1, 1],
    'same product',
    'unwrought metal and powders: the product is the refined metal (the code spans several metals: a proxy, said so)',
    null,
  ),
  f('2504', ['graphite'], 'gross_weight', [1, 1, 1], 'same product', 'natural graphite: production and customs both count graphite product weight', null),
];

/** `rule`: "HS 283691 × 0.1879 → contained" (the factor's `what` and document say why), or why no factor is held. */
export type ContentLookup = { factor: ContentFactor; rule: string } | { factor: null; rule: string };

/**
 * The factor that converts a flow of `hsCode` (product weight) to `basis` for `materialId`, by the longest prefix held;
 * else why none is held (the code named).
 */
export function contentFactor(hsCode: string, materialId: string, basis: Basis): ContentLookup {
  for (let n = hsCode.length; n >= 4; n--) {
    const e = HS_CONTENT.find((x) => x.hs === hsCode.slice(0, n) && x.to === basis && x.materials.includes(materialId));
    if (e) {
      const range = e.low === e.high ? e.central.toFixed(4) : `${e.central.toFixed(4)} (${e.low.toFixed(4)}–${e.high.toFixed(4)})`;
      return { factor: e, rule: `HS ${hsCode} × ${range} → ${basis}` };
    }
  }
  return {
    factor: null,
    rule: `HS ${hsCode}: no stated conversion from product weight to ${basis} is held for this code`,
  };
}
