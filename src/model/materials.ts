/**
 * Material registry: one id per material, with every alias the sources use.
 * Resolution of a free-text name to a material id happens only here (`resolveMaterial`).
 */
import type { Material } from './schema.ts';

type Def = [id: string, name: string, aliases: string[], usgsCode?: string | null, group?: string | null, members?: string[]];

const LREE = ['lanthanum', 'cerium', 'praseodymium', 'neodymium', 'samarium', 'europium'];
const HREE = ['gadolinium', 'terbium', 'dysprosium', 'holmium', 'erbium', 'thulium', 'ytterbium', 'lutetium', 'yttrium'];
const PGM = ['platinum', 'palladium', 'rhodium', 'ruthenium', 'iridium', 'osmium'];

const DEFS: Def[] = [
  ['abrasives', 'Abrasives (manufactured), fused aluminum oxide', ['Abrasives (Manufactured)', 'Abrasives'], 'abras'],
  ['silicon-carbide', 'Silicon carbide (abrasive)', ['Silicon carbide'], null],
  ['aluminium', 'Aluminium', ['Aluminum'], 'alumi'],
  ['alumina', 'Alumina', ['Alumina, calcined equivalent'], null],
  ['antimony', 'Antimony', [], 'antim'],
  ['arsenic', 'Arsenic', [], 'arsen'],
  ['asbestos', 'Asbestos', [], 'asbes'],
  ['barite', 'Barite', ['Barytes', 'Baryte'], 'barit'],
  ['bauxite', 'Bauxite', ['Bauxite and Alumina'], 'bauxi'],
  ['beryllium', 'Beryllium', [], 'beryl'],
  ['bismuth', 'Bismuth', [], 'bismu'],
  ['boron', 'Boron', ['Borate', 'Borates'], 'boron'],
  ['bromine', 'Bromine', [], 'bromi'],
  ['cadmium', 'Cadmium', [], 'cadmi'],
  ['cement', 'Cement', [], 'cemen'],
  ['chromium', 'Chromium', ['Chromite'], 'chrom'],
  ['clays', 'Clays', [], 'clays'],
  // The EU CRM assesses bentonite and kaolin separately; one id for both would merge their supply shares.
  ['bentonite', 'Bentonite', [], null],
  ['kaolin', 'Kaolin', ['Kaolin clay'], null],
  ['fullers-earth', "Fuller's earth", ["Fuller's earth"], null],
  ['cobalt', 'Cobalt', [], 'cobal'],
  ['copper', 'Copper', [], 'coppe'],
  ['diamond-industrial', 'Diamond (industrial)', ['Diamond (Industrial)', 'Industrial diamond'], 'diamo'],
  ['diatomite', 'Diatomite', [], 'diato'],
  ['feldspar', 'Feldspar and nepheline syenite', ['Feldspar and Nepheline Syenite', 'Feldspar'], 'felds'],
  ['fluorspar', 'Fluorspar', ['Flourspar'], 'fluor'],
  ['gallium', 'Gallium', [], 'galli'],
  ['garnet-industrial', 'Garnet (industrial)', ['Garnet (Industrial)', 'Garnet'], 'garne'],
  ['gemstones', 'Gemstones', ['Gem diamond'], 'gemst'],
  ['germanium', 'Germanium', ['Gemanium'], 'germa'],
  ['gold', 'Gold', [], 'gold'],
  ['graphite', 'Graphite', ['Graphite (Natural)', 'Natural Graphite', 'Natural graphite', 'Battery-grade graphite'], 'graph'],
  ['gypsum', 'Gypsum', [], 'gypsu'],
  ['hafnium', 'Hafnium', [], null],
  ['helium', 'Helium', [], 'heliu'],
  ['indium', 'Indium', [], 'indiu'],
  ['iodine', 'Iodine', [], 'iodin'],
  ['iron-ore', 'Iron ore', ['Iron Ore'], 'feore'],
  ['iron-oxide-pigments', 'Iron oxide pigments', ['Iron Oxide Pigments'], 'fepig'],
  ['iron-steel', 'Iron and steel', ['Iron and Steel', 'Pig iron', 'Raw steel', 'Steel'], 'feste'],
  ['kyanite', 'Kyanite and related minerals', ['Kyanite and Related Minerals', 'Andalusite', 'Sillimanite'], 'kyani'],
  ['lead', 'Lead', [], 'lead'],
  ['lime', 'Lime', [], 'lime'],
  // Limestone (the rock, EU CRM 2023) is not lime (the calcined product, USGS): separate ids so neither fills the other's data.
  ['limestone', 'Limestone', [], null],
  ['lithium', 'Lithium', [], 'lithi'],
  ['magnesium-compounds', 'Magnesium compounds', ['Magnesium Compounds', 'Magnesite'], 'mgcomp'],
  ['magnesium', 'Magnesium metal', ['Magnesium Metal', 'Magnesium'], 'mgmet'],
  ['manganese', 'Manganese', [], 'manga'],
  ['mercury', 'Mercury', [], 'mercu'],
  ['mica', 'Mica (natural), scrap and flake', ['Mica (Natural)', 'Mica'], 'mica'],
  ['mica-sheet', 'Mica (natural), sheet', ['Mica sheet'], null],
  ['molybdenum', 'Molybdenum', [], 'molyb'],
  ['nickel', 'Nickel', [], 'nicke'],
  ['niobium', 'Niobium', ['Niobium (Columbium)', 'Columbium'], 'niobi'],
  ['nitrogen', 'Nitrogen (fixed), ammonia', ['Nitrogen (Fixed)--Ammonia', 'Nitrogen(fixed) - Ammonia', 'Ammonia'], 'nitro'],
  ['peat', 'Peat', [], 'peat'],
  ['perlite', 'Perlite', [], 'perli'],
  ['phosphate-rock', 'Phosphate rock', ['Phosphate Rock'], 'phosp'],
  ['phosphorus', 'Phosphorus', ['Phosphorous'], null],
  ['pgm', 'Platinum-group metals', ['Platinum-Group Metals', 'Platinum-group metals', 'PGMs', 'PGM'], 'plati', 'PGM', PGM],
  ['platinum', 'Platinum', [], null, 'PGM'],
  ['palladium', 'Palladium', [], null, 'PGM'],
  ['rhodium', 'Rhodium', [], null, 'PGM'],
  ['ruthenium', 'Ruthenium', [], null, 'PGM'],
  ['iridium', 'Iridium', [], null, 'PGM'],
  ['osmium', 'Osmium', [], null, 'PGM'],
  ['potash', 'Potash', [], 'potas'],
  ['pumice', 'Pumice and pumicite', ['Pumice and Pumicite', 'Pumice & Pumicite'], 'pumic'],
  [
    'rare-earths',
    'Rare earths',
    ['Rare Earths', 'Rare earth elements', 'Rare Earth Elements', 'REE', 'Total REE', 'Magnet rare earths'],
    'raree',
    'REE',
    [...LREE, ...HREE, 'scandium'],
  ],
  ['lree', 'Light rare earths (LREE)', ['LREE', 'Light rare earth elements'], null, 'LREE', LREE],
  ['hree', 'Heavy rare earths (HREE)', ['HREE', 'Heavy rare earth elements', 'Heavy rare earths elements'], null, 'HREE', HREE],
  ...LREE.map((id): Def => [id, cap(id), [], null, 'LREE']),
  ...HREE.map((id): Def => [id, cap(id), [], null, 'HREE']),
  ['scandium', 'Scandium', [], null, 'REE'],
  ['rhenium', 'Rhenium', [], 'rheni'],
  ['salt', 'Salt', [], 'salt'],
  ['sand-gravel-industrial', 'Sand and gravel (industrial)', ['Sand and Gravel (Industrial)', 'Silica sand'], 'sandi'],
  ['selenium', 'Selenium', [], 'selen'],
  ['silicon', 'Silicon', ['Silicon metal'], 'simet'],
  // USGS reports ferrosilicon apart from silicon metal (different products and supplier sets).
  ['ferrosilicon', 'Ferrosilicon', [], null],
  ['silver', 'Silver', [], 'silve'],
  ['soda-ash', 'Soda ash', ['Soda Ash'], 'sodaa'],
  ['stone-dimension', 'Stone (dimension)', ['Stone (Dimension)', 'Dimension stone'], 'stond'],
  ['strontium', 'Strontium', [], 'stron'],
  ['sulfur', 'Sulfur', ['Sulphur'], 'sulfu'],
  ['talc', 'Talc and pyrophyllite', ['Talc and Pyrophyllite', 'Talc, crude', 'Talc'], 'talc'],
  ['tantalum', 'Tantalum', [], 'tanta'],
  ['tellurium', 'Tellurium', [], 'tellu'],
  ['titanium-minerals', 'Titanium mineral concentrates', ['Titanium Mineral Concentrates', 'Titanium ores'], 'timin'],
  // USGS tabulates ilmenite and rutile separately, each with its own world total.
  ['ilmenite', 'Ilmenite', [], null, 'titanium-minerals'],
  ['rutile', 'Rutile', [], null, 'titanium-minerals'],
  ['titanium', 'Titanium and titanium dioxide', ['Titanium and Titanium Dioxide', 'Titanium & titanium dioxide', 'Titanium sponge'], 'titan'],
  // The EU CRM assesses titanium metal apart from titanium (different processing stage shares).
  ['titanium-metal', 'Titanium metal', [], null],
  ['tin', 'Tin', [], 'tin'],
  ['tungsten', 'Tungsten', [], 'tungs'],
  ['vanadium', 'Vanadium', [], 'vanad'],
  ['vermiculite', 'Vermiculite', [], 'vermi'],
  ['wollastonite', 'Wollastonite', [], 'wolla'],
  ['zeolites', 'Zeolites (natural)', ['Zeolites (Natural)'], 'zeoli'],
  ['zinc', 'Zinc', [], 'zinc'],
  ['zirconium', 'Zirconium and hafnium', ['Zirconium and Hafnium', 'Zirconium'], 'zirco'],
  ['coking-coal', 'Coking coal', [], null],
  ['hydrogen', 'Hydrogen', [], null],
  ['natural-rubber', 'Natural rubber', [], null],
  ['natural-cork', 'Natural cork', [], null],
  ['natural-teak-wood', 'Natural teak wood', [], null],
  ['sapele-wood', 'Sapele wood', [], null],
  ['roundwood', 'Roundwood', [], null],
  ['aggregates', 'Aggregates', [], null],
  ['neon', 'Neon', [], null],
  ['krypton', 'Krypton', ['Krupton'], null],
  ['xenon', 'Xenon', ['Zenon'], null],
  ['polysilicon', 'Polysilicon', [], null],
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const MATERIALS: Material[] = DEFS.map(([id, name, aliases, usgsCode = null, group = null, members = []]) => ({
  id,
  name,
  aliases,
  usgsCode,
  group,
  members,
}));

const byId = new Map(MATERIALS.map((m) => [m.id, m]));

/** The six minerals of the IEA critical-minerals demand series (GCMO 2025), in the order the demand views list them. */
export const IEA_DEMAND_MINERALS = ['lithium', 'cobalt', 'nickel', 'graphite', 'rare-earths', 'copper'] as const;

/** Normalise a name for matching: lower case, no accents, punctuation collapsed, footnote digits dropped. */
export function normaliseName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const byName = new Map<string, string>();
for (const m of MATERIALS) {
  for (const n of [m.id, m.name, ...m.aliases, m.usgsCode ?? '']) {
    if (n) byName.set(normaliseName(n), m.id);
  }
}

export function getMaterial(id: string): Material | undefined {
  return byId.get(id);
}

/** Resolve a free-text material name from any source to a material id, or null if unknown. */
export function resolveMaterial(raw: string): string | null {
  return byName.get(normaliseName(raw)) ?? null;
}

/** Closest known material names, for "did you mean" suggestions in errors. */
export function suggestMaterials(raw: string, limit = 3): string[] {
  const q = normaliseName(raw);
  const scored = MATERIALS.map((m) => {
    const best = Math.min(...[m.id, m.name, ...m.aliases].map((n) => editDistance(q, normaliseName(n))));
    return { id: m.id, d: best };
  });
  return scored
    .sort((a, b) => a.d - b.d)
    .slice(0, limit)
    .map((s) => s.id);
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
