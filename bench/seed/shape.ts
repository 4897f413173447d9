/**
 * The shape of the generated province: how many regions of each level, and
 * which row belongs to which. Every mapping is arithmetic on indexes
 * (contiguous blocks), so the generators never hold the big tables in memory.
 *
 * Ids: regions are numbered province 1, then cities, counties, townships,
 * villages (a village's id is its region id); cadres, households and every
 * record table are numbered 1..n in generation order.
 */
export interface SeedSizes {
  cadres: number;
  villages: number;
  households: number;
  visits: number;
  householdVisits: number;
  problems: number;
  diaries: number;
  /** Township notices; each goes to every cadre linked to the township's villages. */
  notices: number;
}

/** Share of villages that are poor (and get a resident work team of 队长 + 队员). */
const POOR_EVERY = 10;
const POOR_OF_TEN = 3;
/** Roughly the real ratio in 天水: 1,218 units for 1,619 villages. */
const UNITS_PER_VILLAGE = 0.75;

export class Shape {
  readonly cities: number;
  readonly counties: number;
  readonly townships: number;
  readonly villages: number;
  readonly units: number;
  /** Village indexes that are poor, in order; their team members follow the leaders. */
  readonly poorVillages: number[];
  readonly poorRank: Int32Array;
  readonly leaders: number;
  readonly team: number;
  /** Ordinary 干部: everyone who is neither leader, admin nor team member. */
  readonly ganbu: number;

  constructor(readonly sizes: SeedSizes) {
    const v = sizes.villages;
    if (v < 1) throw new Error('--villages must be at least 1');
    this.villages = v;
    this.townships = Math.max(1, Math.round((v * 1300) / 20000));
    this.counties = Math.max(Math.min(14, this.townships), Math.round((this.townships * 90) / 1300));
    this.cities = Math.min(14, this.counties);
    this.units = Math.max(1, Math.round(v * UNITS_PER_VILLAGE));
    this.poorVillages = [];
    this.poorRank = new Int32Array(v).fill(-1);
    for (let i = 0; i < v; i++) {
      if (i % POOR_EVERY < POOR_OF_TEN) {
        this.poorRank[i] = this.poorVillages.length;
        this.poorVillages.push(i);
      }
    }
    // province leader + admin, then one leader per city, county and township
    this.leaders = 2 + this.cities + this.counties + this.townships;
    this.team = 2 * this.poorVillages.length;
    this.ganbu = sizes.cadres - this.leaders - this.team;
    if (this.ganbu < v) {
      throw new Error(`--cadres ${sizes.cadres} is too small: need at least ${this.leaders + this.team + v}`);
    }
    if (sizes.households < v) throw new Error('--households must be at least --villages');
  }

  // Region ids by level.
  cityId(c: number): number { return 2 + c; }
  countyId(k: number): number { return 2 + this.cities + k; }
  townshipId(t: number): number { return 2 + this.cities + this.counties + t; }
  villageId(v: number): number { return 2 + this.cities + this.counties + this.townships + v; }
  get regionCount(): number { return 1 + this.cities + this.counties + this.townships + this.villages; }

  cityOfCounty(k: number): number { return block(k, this.counties, this.cities); }
  countyOfTownship(t: number): number { return block(t, this.townships, this.counties); }
  townshipOfVillage(v: number): number { return block(v, this.villages, this.townships); }
  villagesOfTownship(t: number): [number, number] { return range(t, this.villages, this.townships); }
  /** Each village has exactly one linked unit; a quarter of the units hold two villages. */
  unitOfVillage(v: number): number { return block(v, this.villages, this.units); }

  // Cadre ids (1-based): leaders, then team, then 干部.
  /** Leader ids: 1 province, 2 admin, then cities, counties, townships. */
  leaderOfCity(c: number): number { return 3 + c; }
  leaderOfCounty(k: number): number { return 3 + this.cities + k; }
  leaderOfTownship(t: number): number { return 3 + this.cities + this.counties + t; }
  /** Team member i (0-based) of the team list: 队长 for even i, 队员 for odd. */
  teamId(i: number): number { return this.leaders + 1 + i; }
  teamVillage(i: number): number { return this.poorVillages[i >> 1]; }
  ganbuId(g: number): number { return this.leaders + this.team + 1 + g; }
  villageOfGanbu(g: number): number { return block(g, this.ganbu, this.villages); }
  ganbuOfVillage(v: number): [number, number] { return range(v, this.ganbu, this.villages); }

  householdsOfVillage(v: number): [number, number] { return range(v, this.sizes.households, this.villages); }
  villageOfHousehold(h: number): number { return block(h, this.sizes.households, this.villages); }
  /** The 干部 index linked to household h: the village's 干部 take its households in turn. */
  ganbuOfHousehold(h: number): number {
    const v = this.villageOfHousehold(h);
    const [g0, g1] = this.ganbuOfVillage(v);
    const [h0] = this.householdsOfVillage(v);
    return g0 + ((h - h0) % (g1 - g0));
  }
  /** Household index of the m-th household linked to 干部 g, or -1 past the last. */
  householdOfGanbu(g: number, m: number): number {
    const v = this.villageOfGanbu(g);
    const [g0, g1] = this.ganbuOfVillage(v);
    const [h0, h1] = this.householdsOfVillage(v);
    const h = h0 + (g - g0) + m * (g1 - g0);
    return h < h1 ? h : -1;
  }
  householdCountOfGanbu(g: number): number {
    const v = this.villageOfGanbu(g);
    const [g0, g1] = this.ganbuOfVillage(v);
    const [h0, h1] = this.householdsOfVillage(v);
    const r = g - g0;
    return r < h1 - h0 ? Math.floor((h1 - h0 - 1 - r) / (g1 - g0)) + 1 : 0;
  }
}

/** Item i of n spread over p contiguous blocks: its block. */
function block(i: number, n: number, p: number): number {
  return Math.floor((i * p) / n);
}

/** Items of block b when n items are spread over p blocks: [first, end). */
function range(b: number, n: number, p: number): [number, number] {
  return [Math.ceil((b * n) / p), Math.ceil(((b + 1) * n) / p)];
}
