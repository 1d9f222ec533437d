/**
 * Baskets for the Monte Carlo's basket reading: products that need all their inputs at once, so output is limited by
 * the scarcest one (Leontief). The reading needs only membership; the material content is shown where a source
 * publishes it and is never used to weight or tune a result. Each basket cites where its composition comes from.
 */

export interface BasketMember {
  materialId: string;
  /** Content per unit of product where published (kg per `unit`), else null (membership only). */
  kgPerUnit: number | null;
}

export interface Basket {
  id: string;
  name: string;
  /** Unit of product the content refers to. */
  unit: string;
  members: BasketMember[];
  source: string;
  note: string;
}

export const BASKETS: Basket[] = [
  {
    id: 'battery',
    name: 'EV battery cells (2020 average chemistry mix)',
    unit: '60 kWh battery',
    members: [
      { materialId: 'graphite', kgPerUnit: 52 },
      { materialId: 'nickel', kgPerUnit: 29 },
      { materialId: 'copper', kgPerUnit: 20 },
      { materialId: 'manganese', kgPerUnit: 10 },
      { materialId: 'cobalt', kgPerUnit: 8 },
      { materialId: 'lithium', kgPerUnit: 6 },
    ],
    source:
      'Transport & Environment (2021), mineral content of the average 2020 EV battery cell (60 kWh, sales-weighted chemistry mix), as tabulated by Visual Capitalist Elements, "The Key Minerals in an EV Battery" <https://elements.visualcapitalist.com/the-key-minerals-in-an-ev-battery/>',
    note: 'Cells only (electrolyte, binder, separator and pack casing excluded); aluminium, steel and iron are left out (no export-control history in the registry). Contents are contained metal; lithium is lithium metal, not LCE.',
  },
  {
    id: 'magnet',
    name: 'Sintered NdFeB permanent magnet',
    unit: 't of magnet',
    members: [
      { materialId: 'rare-earths', kgPerUnit: 310 },
      { materialId: 'boron', kgPerUnit: 11.5 },
      { materialId: 'iron-ore', kgPerUnit: 660 },
    ],
    source:
      'Manufacturer composition ranges for sintered NdFeB: neodymium 29–32.5%, iron 63.95–68.65%, boron 1.1–1.2%, dysprosium 0.6–1.2% by mass (e.g. Courage Magnet, "What are the ingredients of Nd-Fe-B permanent magnets?" <http://www.couragemagnet.com/faq/324.html>); mid-points shown',
    note: 'A manufacturer’s published range, not an official statistic. Rare earths = Nd + Pr + Dy, reported as the rare-earths group (the data has no supply by country for single rare earths). Iron enters as iron ore (mine stage only).',
  },
  {
    id: 'defence',
    name: 'Defence dual-use materials (China-controlled)',
    unit: 'F-35 aircraft (rare earths only)',
    members: [
      { materialId: 'rare-earths', kgPerUnit: 417 },
      { materialId: 'gallium', kgPerUnit: null },
      { materialId: 'germanium', kgPerUnit: null },
      { materialId: 'antimony', kgPerUnit: null },
      { materialId: 'tungsten', kgPerUnit: null },
    ],
    source:
      'Membership: the materials China placed under dual-use export controls (registry: chn-gallium-germanium-2023, chn-antimony-2024, chn-dual-use-ban-usa-2024, chn-w-te-bi-mo-in-2025, chn-medium-heavy-rare-earths-2025). Rare-earth content: about 920 pounds (417 kg) of rare-earth materials per F-35 Lightning II, Congressional Research Service, "Rare Earth Elements in National Defense", R41744 (2013)',
    note: 'No public bill of materials gives the content of the other members per weapon system: membership only, which is all the Leontief reading needs.',
  },
];

export const basketById = (id: string): Basket | undefined => BASKETS.find((b) => b.id === id);
