import { amountYuanOf, helpKindOf } from '../../../../src/services/aid/help-acts';

describe('六送 kinds', () => {
  it('takes the full names and the short forms, nothing else', () => {
    expect(helpKindOf('送资金')).toBe('送资金');
    expect(helpKindOf('温暖')).toBe('送温暖');
    expect(helpKindOf('送钱')).toBeNull();
    expect(helpKindOf('送送资金')).toBeNull();
    expect(helpKindOf('')).toBeNull();
  });
});

describe('amounts in 元', () => {
  it.each([
    ['2000元 产业补助', 2000], ['产业补助2,000元', 2000], ['1.5万元 养殖项目', 15000], ['补助 300 元', 300],
    ['先送200元，后送300元', 200], ['0元', null], ['送去化肥两袋', null], ['2000 块', null],
  ])('%s → %s', (note, amount) => {
    expect(amountYuanOf(note)).toBe(amount);
  });
});
