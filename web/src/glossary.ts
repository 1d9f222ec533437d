/**
 * The dashboard's glossary (#/glossary): each term with a short definition, its formula as the engine computes it, the
 * method source it follows, and the repository doc that describes our implementation. Pages link terms here with
 * `<Term id="…">` (components/Term.tsx). The formulas restate docs/*.md; the docs are the reference.
 */

export interface GlossaryEntry {
  id: string;
  term: string;
  definition: string;
  formula: string;
  /** The published method the definition follows (author, year, document). */
  source: string;
  /** docs/<file>.md and the section, in this repository. */
  doc: { file: string; section: string };
}

/**
 * Where the docs live: the repository's URL, given at build time (VITE_REPO_URL, e.g. https://github.com/org/chokepoint).
 * Without it the doc is named by its path in the repository and not linked (no guessed address).
 */
export const REPO_URL: string | null = ((import.meta as { env?: Record<string, string | undefined> }).env?.VITE_REPO_URL ?? '').replace(/\/$/, '') || null;
export const docUrl = (file: string): string | null => (REPO_URL ? `${REPO_URL}/blob/main/docs/${file}` : null);

export const GLOSSARY: GlossaryEntry[] = [
  {
    id: 'hhi',
    term: 'HHI (Herfindahl–Hirschman index)',
    definition:
      'Concentration of supply: the sum of the squared shares of every named producer. 1 (10,000 on the 0–10,000 scale) is a single supplier; aggregates such as "World total" or "Other countries" are never counted as producers.',
    formula: 'HHI = Σ_c s_c²   (s_c: country c’s share of world output, as a fraction; shown ×10,000 where users expect it)',
    source: 'U.S. DOJ/FTC Horizontal Merger Guidelines (HHI); applied to mineral supply as in IEA Global Critical Minerals Outlook 2025',
    doc: { file: 'architecture.md', section: 'request walk-through: concentration (src/engine/concentration.ts)' },
  },
  {
    id: 'hhi-normalised',
    term: 'Normalised HHI',
    definition: 'HHI rescaled so that N equal producers give 0 and one producer gives 1, making markets with different numbers of producers comparable.',
    formula: 'HHI* = (HHI − 1/N) / (1 − 1/N)   over the N named producers with positive output (0 when N ≤ 1)',
    source: 'Standard normalisation of the Herfindahl index (e.g. OECD glossary of industrial organisation terms)',
    doc: { file: 'architecture.md', section: 'request walk-through: concentration (src/engine/concentration.ts)' },
  },
  {
    id: 'top3',
    term: 'Top-3 share',
    definition: 'The share of world output supplied by the three largest producing countries at a stage.',
    formula: 'top-3 = s_(1) + s_(2) + s_(3)   (shares sorted largest first)',
    source: 'IEA Global Critical Minerals Outlook 2025 (average top-3 refining share of six minerals: about 82% in 2020, 86% in 2024)',
    doc: { file: 'architecture.md', section: 'request walk-through: concentration (src/engine/concentration.ts)' },
  },
  {
    id: 'n1',
    term: 'N-1 coverage',
    definition: 'Remove the largest supplier (or any set of countries) at a stage: how much of world demand the remaining supply still meets.',
    formula: 'C_w = R′ / D,   R′ = S − Σ_{c∈X} S_c   (S supply, D world demand, X the excluded countries)',
    source: 'IEA Global Critical Minerals Outlook 2025, N-1 supply-diversity scenario',
    doc: { file: 'stress-tests.md', section: '§2 N-1 and exclude-set coverage' },
  },
  {
    id: 'n1-netted',
    term: 'Netted N-1 coverage',
    definition:
      'N-1 coverage against demand with the excluded countries’ own consumption netted out (they no longer buy on the world market). Not computed when an excluded country’s consumption share is unknown.',
    formula: 'C_n = R′ / D_n,   D_n = D · (1 − Σ_{c∈X} d_c)   (d_c: country c’s share of world consumption)',
    source: 'IEA Global Critical Minerals Outlook 2025 (the reading of its N-1 figures)',
    doc: { file: 'demand.md', section: '§2 Netted N-1 (IEA GCMO 2025)' },
  },
  {
    id: 'sr-ei',
    term: 'SR and EI (EU JRC method)',
    definition:
      'Supply risk (SR) and economic importance (EI) of a raw material for the EU (or another assessor). A material is critical when SR ≥ 1.0 and EI ≥ 2.8. SR is computed for extraction and for processing; the higher (the bottleneck) is reported.',
    formula:
      'SR = [HHI_WGI,t(GS)·IR/2 + HHI_WGI,t(sourcing)·(1 − IR/2)]·(1 − EoL-RIR)·SI_SR,  HHI_WGI,t = Σ_c s_c²·WGI_c·t_c;  EI = Σ_s A_s·Q_s / max_s Q_s · 10 · SI_EI',
    source: 'Blengini et al. (2017), Methodology for establishing the EU list of critical raw materials, JRC; used for the EU 2020 and 2023 lists',
    doc: { file: 'criticality.md', section: '§3 EU JRC method' },
  },
  {
    id: 'eol-rir',
    term: 'EoL-RIR (end-of-life recycling input rate)',
    definition:
      'The share of a material’s input to production that comes from recycled end-of-life scrap. It lowers the EU supply risk; where no value is held it is set to 0 (no credit) and listed as a default.',
    formula: 'EoL-RIR = end-of-life scrap used as input / total input (primary + secondary);  SR × (1 − EoL-RIR)',
    source: 'Blengini et al. (2017), JRC; values from the Study on the Critical Raw Materials for the EU 2023',
    doc: { file: 'criticality.md', section: '§3 EU JRC method, §7 Defaults' },
  },
  {
    id: 'substitution',
    term: 'Substitution index (SI_SR, SI_EI)',
    definition:
      'How far substitutes reduce supply risk (SI_SR) or economic importance (SI_EI), between about 0.8 (good substitutes) and 1 (none). Not held in the loaded data: set to 1, the no-credit end, and listed as a default.',
    formula: 'SR × SI_SR and EI × SI_EI; each index is built per application from the substitutes’ cost-performance and availability',
    source: 'Blengini et al. (2017), JRC',
    doc: { file: 'criticality.md', section: '§7 Defaults' },
  },
  {
    id: 'doe',
    term: 'DOE 2023-style criticality',
    definition:
      'Importance to energy against supply risk, both scored 1–4 from weighted indicators, short term (2020–2025) and medium term (2025–2035); critical, near-critical or not critical. Indicators we cannot score are left out and the weights renormalised; no importance means no class.',
    formula: 'axis score = Σ_i w_i·score_i / Σ_i w_i over the indicators with a score (1–4)',
    source: 'U.S. Department of Energy (2023), Critical Materials Assessment',
    doc: { file: 'criticality.md', section: '§4 DOE 2023-style matrix' },
  },
  {
    id: 'usgs',
    term: 'USGS 2022-style supply risk',
    definition:
      'Disruption potential × trade exposure × economic vulnerability. Economic vulnerability is not in the loaded data, so the partial score DP·TE is shown and ranked.',
    formula: 'DP = max_s Σ_{c ∉ assessor} s_c²·WGI_c;  TE = net import reliance (0–1);  risk = DP·TE·EV',
    source: 'Nassar & Fortier (2021), USGS Open-File Report 2021-1045 (the method of the 2022 U.S. list)',
    doc: { file: 'criticality.md', section: '§5 USGS 2022-style supply risk' },
  },
  {
    id: 'geopolrisk',
    term: 'GeoPolRisk',
    definition:
      'Importer-specific supply risk: global concentration times the share of the importer’s supply that comes from politically unstable partners. Needs the importer’s bilateral imports (trade data); without them it is not computed.',
    formula:
      'GeoPolRisk_A = HHI · Σ_{i ∉ A} g_i · f_Ai / (p_A + F_A)   (g_i: WGI political stability rescaled 0–1; f_Ai imports from i; p_A own production; F_A total imports)',
    source: 'Gemechu et al. (2016); operationalised by Santillán-Saldivar et al. (2021)',
    doc: { file: 'criticality.md', section: '§6 GeoPolRisk' },
  },
  {
    id: 'import-reliance',
    term: 'Import reliance (net import reliance, NIR)',
    definition:
      'The share of a country’s apparent consumption met by net imports; "E" (net exporter) counts as 0. Used as IR in the EU method and as trade exposure in the USGS method.',
    formula: 'NIR = (imports − exports ± stock changes) / apparent consumption,   apparent consumption = production + imports − exports ± stock changes',
    source: 'USGS Mineral Commodity Summaries (net import reliance figure and salient statistics)',
    doc: { file: 'criticality.md', section: '§1 Inputs' },
  },
  {
    id: 'cvar',
    term: 'CVaR 95% (conditional value at risk)',
    definition: 'The mean of the worst 5% of Monte Carlo outcomes (here: shortfall), a measure of how bad the tail is, beyond the 95th percentile.',
    formula: 'CVaR_95 = E[ X | X ≥ p95(X) ]',
    source: 'Rockafellar & Uryasev (2000), Optimization of conditional value-at-risk, Journal of Risk',
    doc: { file: 'risk.md', section: '§2 Monte Carlo' },
  },
  {
    id: 'days-of-cover',
    term: 'Days of cover',
    definition: 'How long a stockpile lasts against the holder’s shortfall in a disruption (not against its whole consumption: that is days of consumption).',
    formula: 'days of cover = stockpile ÷ (holder’s shortfall per day, month 1, no recovery);  days of consumption = stockpile ÷ (consumption / 365)',
    source: 'IEA stockholding practice; Japan JOGMEC 60-day target (180 days for high-risk metals)',
    doc: { file: 'stress-tests.md', section: '§5 Stockpiles and recovery' },
  },
  {
    id: 'basis',
    term: 'Basis: contained, gross weight, LCE, battery-grade',
    definition:
      'What a tonne counts. Contained: the element’s own mass (t Li, t Co). Gross weight: the mass of the product as traded (ore, concentrate, compound). LCE: lithium carbonate equivalent (1 t Li = 5.323 t LCE). Battery-grade: only the battery-quality product (IEA refined graphite). Figures on different bases are compared only with a stated conversion, never mixed.',
    formula: 'contained = gross × grade;   t LCE = t Li × 5.323;   t Li = t LCE × 0.1878',
    source: 'USGS Mineral Commodity Summaries (Lithium: LCE factor); IEA Critical Minerals dataset (bases of its series)',
    doc: { file: 'demand.md', section: '§1 A country’s own use: bases' },
  },
];
