import fc from 'fast-check';
import { rankHouseholds } from '../../../bots/resolve-household';
import { rankVillages, type VillageCandidate } from '../../../bots/resolve-village';

const v = (id: number, fullName: string, initials: string, linked = false, aliases: string[] = []): VillageCandidate =>
  ({ id, name: fullName.split('/').pop()!, fullName, initials, linked, aliases });

const dingmen = v(1, '甘肃省/天水市/武山县/鸳鸯镇/丁门村', 'dm', false, ['丁门']);
const wangmen = v(2, '甘肃省/天水市/武山县/鸳鸯镇/王门村', 'wm');
const wangmenGangu = v(3, '甘肃省/天水市/甘谷县/大像山镇/王门村', 'wm');
const dongcun = v(4, '甘肃省/兰州市/榆中县/甘草店镇/东村', 'd');
const dongshan = v(5, '甘肃省/兰州市/榆中县/甘草店镇/东山社区', 'ds');
const all = [dingmen, wangmen, wangmenGangu, dongcun, dongshan];

const found = (spec: string, cs = all) => {
  const r = rankVillages(spec, cs);
  return r.kind === 'found' ? r.item.id : r.kind;
};

describe('rankVillages', () => {
  it('finds by exact name, name without 村/社区, alias, prefix and pinyin initials', () => {
    expect(found('丁门村')).toBe(1);
    expect(found('丁门')).toBe(1);
    expect(found('东山')).toBe(5);
    expect(found('东山社区')).toBe(5);
    expect(found('丁')).toBe(1);
    expect(found('DM')).toBe(1);
    expect(found('ds')).toBe(5);
    expect(found('d')).toBe(4);
  });

  it('prefers an exact name to a prefix: 东 is 东村, not 东山社区', () => {
    expect(found('东')).toBe(4);
  });

  it('disambiguates with township, county or city, with or without their suffix and slashes', () => {
    expect(found('鸳鸯镇王门村')).toBe(2);
    expect(found('甘谷县王门')).toBe(3);
    expect(found('甘谷王门村')).toBe(3);
    expect(found('天水市/武山县/鸳鸯镇/王门村')).toBe(2);
    expect(found('大像山镇王门')).toBe(3);
  });

  it('lists namesakes, the sender\'s linked ones first, and picks the only linked one', () => {
    const r = rankVillages('王门', all);
    expect(r.kind === 'ambiguous' && r.options.map((o) => o.id)).toEqual([2, 3]);
    expect(found('王门', [dingmen, wangmen, { ...wangmenGangu, linked: true }])).toBe(3);
    expect(found('wm', [wangmen, { ...wangmenGangu, linked: true }])).toBe(3);
  });

  it('suggests up to 3 close names when nothing matches', () => {
    const r = rankVillages('丁们村', all);
    expect(r.kind === 'none' && r.suggestions.map((s) => s.id)).toEqual([1]);
    const none = rankVillages('火星', all);
    expect(none).toEqual({ kind: 'none', suggestions: [] });
  });

  it('strict mode takes only exact and qualified names', () => {
    expect(rankVillages('丁', all, true).kind).toBe('none');
    expect(rankVillages('dm', all, true).kind).toBe('none');
    expect(found('鸳鸯镇丁门村', all)).toBe(1);
  });

  it('never throws, and a found village always matches the spec in some way', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (spec) => {
      const r = rankVillages(spec, all);
      if (r.kind === 'ambiguous') expect(r.options.length).toBeGreaterThan(1);
      if (r.kind === 'none') expect(r.suggestions.length).toBeLessThanOrEqual(3);
    }), { numRuns: 1000 });
  });
});

describe('rankHouseholds', () => {
  const h = (id: number, householder: string, village: string) =>
    ({ id, householder, villageId: id, villageFullName: `甘肃省/天水市/武山县/鸳鸯镇/${village}` });
  const mine = [h(1, '张三', '丁门村'), h(2, '张三丰', '丁门村'), h(3, '李四', '丁门村'), h(4, '张三', '王门村')];

  it('finds by exact name, village+name, unique prefix and initials', () => {
    expect(rankHouseholds('李四', mine)).toMatchObject({ kind: 'found', item: { id: 3 } });
    expect(rankHouseholds('王门村张三', mine)).toMatchObject({ kind: 'found', item: { id: 4 } });
    expect(rankHouseholds('丁门张三', mine)).toMatchObject({ kind: 'found', item: { id: 1 } });
    expect(rankHouseholds('张三丰', mine)).toMatchObject({ kind: 'found', item: { id: 2 } });
    expect(rankHouseholds('李', mine)).toMatchObject({ kind: 'found', item: { id: 3 } });
    expect(rankHouseholds('ls', mine)).toMatchObject({ kind: 'found', item: { id: 3 } });
  });

  it('lists namesakes and suggests close names', () => {
    expect(rankHouseholds('张三', mine)).toMatchObject({ kind: 'ambiguous', options: [{ id: 1 }, { id: 4 }] });
    const r = rankHouseholds('李五', mine);
    expect(r.kind === 'none' && r.suggestions.map((s) => s.id)).toEqual([3]);
  });
});

describe('resolvers on hostile input', () => {
  const mine = [
    { id: 1, householder: '张三', villageId: 1, villageFullName: '甘肃省/天水市/武山县/鸳鸯镇/丁门村' },
    { id: 2, householder: '李四', villageId: 1, villageFullName: '甘肃省/天水市/武山县/鸳鸯镇/丁门村' },
  ];

  it('never throw on any string, emoji, control characters or 10,000 characters', () => {
    const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
    fc.assert(fc.property(anyText, (spec) => {
      expect(['found', 'ambiguous', 'none']).toContain(rankVillages(spec, all).kind);
      expect(['found', 'ambiguous', 'none']).toContain(rankHouseholds(spec, mine).kind);
    }), { numRuns: 500 });
    const long = '丁'.repeat(10000);
    const started = Date.now();
    expect(rankVillages(long, all).kind).toBe('none');
    expect(rankHouseholds(long, mine)).toEqual({ kind: 'none', suggestions: [] });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
