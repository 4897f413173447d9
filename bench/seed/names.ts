/**
 * Chinese names for the generated province (what users would read in chat and
 * on the console). Real Gansu cities; counties, townships and villages get
 * made-up but plausible names that are unique province-wide, so a check-in by
 * exact village name is never ambiguous.
 */
export const PROVINCE = '甘肃省';

/** The 14 prefecture-level divisions with approximate GCJ-02 centres [lat, lng]. */
export const CITIES: [string, number, number][] = [
  ['兰州市', 36.06, 103.83], ['嘉峪关市', 39.77, 98.29], ['金昌市', 38.52, 102.19],
  ['白银市', 36.54, 104.14], ['天水市', 34.58, 105.72], ['武威市', 37.93, 102.64],
  ['张掖市', 38.93, 100.45], ['平凉市', 35.54, 106.66], ['酒泉市', 39.73, 98.49],
  ['庆阳市', 35.71, 107.64], ['定西市', 35.58, 104.63], ['陇南市', 33.4, 104.92],
  ['临夏回族自治州', 35.6, 103.21], ['甘南藏族自治州', 34.98, 102.91],
];

const PLACE_CHARS = uniqueChars(
  '安平宁和丰泰兴福康乐永新东西南北山川河水沟坪岔湾峡岭台庄堡寨营坝源泉林阳阴清红石白黄青龙凤马牛羊家王李张刘陈杨赵周吴徐孙高郭何罗梁宋古柳',
);
const SURNAMES = uniqueChars(
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺',
);
const GIVEN = uniqueChars('明华建国军平志伟红英玉兰秀芳丽强东海林生春成文刚德福贵荣祥云霞燕梅桂珍凤宝山有才永发金银元庆兵涛亮磊');

export const DEPARTMENTS = [
  '人民政府办公室', '发展和改革局', '教育局', '科学技术局', '工业和信息化局', '公安局', '民政局', '司法局',
  '财政局', '人力资源和社会保障局', '自然资源局', '生态环境局', '住房和城乡建设局', '交通运输局', '水务局',
  '农业农村局', '商务局', '文化和旅游局', '卫生健康委员会', '退役军人事务局', '应急管理局', '审计局',
  '市场监督管理局', '统计局', '林业和草原局', '医疗保障局', '乡村振兴局', '供销合作社', '农村信用合作联社',
  '人民医院', '第一中学', '税务局', '供电公司', '邮政分公司', '气象局', '档案馆',
];

export const PROBLEM_TEXTS = [
  '村道硬化路面破损，雨天出行困难', '饮水管道老化，部分农户季节性缺水', '危房改造资金未到位',
  '低保评定有争议，群众反映不公', '苹果销路不畅，希望联系收购商', '村卫生室缺少常用药品',
  '灌溉渠堵塞需要清淤', '留守老人无人照料', '养殖合作社缺少启动资金', '路灯损坏夜间不安全',
];
export const PROBLEM_CATEGORIES = ['基础设施', '饮水安全', '住房保障', '社会保障', '产业发展', '医疗卫生', '其他'];
export const DIARY_TEXTS = [
  '今天入户了解春耕准备情况，农资已到位。', '和村两委商量了产业路修建方案。',
  '走访留守老人，帮助联系了体检。', '宣讲医保政策，群众参保意愿高。', '协调解决了两户饮水问题。',
];
export const NOTICE_TEXTS = ['防汛紧急通知：请各联村干部今晚前到村排查隐患', '请于本周内完成联系户走访并在系统中记录'];

function uniqueChars(s: string): string[] {
  return [...new Set([...s])];
}

/**
 * The i-th name of `length` characters from the place pool, bijective in i
 * (a multiplicative permutation of the index space), so names look mixed but
 * never repeat while i < pool^length.
 */
function placeName(i: number, length: number, salt: number): string {
  const n = PLACE_CHARS.length;
  const space = n ** length;
  if (i >= space) throw new Error(`too many place names of length ${length}`);
  let x = (i * 7_919 + salt) % space; // 7919 is prime and does not divide n^length
  let s = '';
  for (let k = 0; k < length; k++) {
    s += PLACE_CHARS[x % n];
    x = Math.floor(x / n);
  }
  return s;
}

export function countyName(k: number): string {
  return placeName(k, 2, 11) + (k % 5 === 0 ? '区' : '县');
}

export function townshipName(t: number): string {
  return placeName(t, 2, 1_234) + (t % 3 === 0 ? '乡' : '镇');
}

export function villageName(v: number, community: boolean): string {
  return placeName(v, 3, 98_765) + (community ? '社区' : '村');
}

export function personName(r: number): string {
  const s = SURNAMES[r % SURNAMES.length];
  const g = Math.floor(r / SURNAMES.length);
  const first = GIVEN[g % GIVEN.length];
  const second = Math.floor(g / GIVEN.length) % (GIVEN.length + 4);
  return second < GIVEN.length ? s + first + GIVEN[second] : s + first;
}

/** Householder j of a village: unique within the village for j < HOUSEHOLDER_SPACE. */
export function householderName(v: number, j: number): string {
  const space = SURNAMES.length * GIVEN.length * GIVEN.length;
  if (j >= space) throw new Error('too many households in one village');
  const x = (j * 1_000_003 + v * 7_919) % space; // 1000003 is prime, coprime to the space
  const s = SURNAMES[x % SURNAMES.length];
  const y = Math.floor(x / SURNAMES.length);
  return s + GIVEN[y % GIVEN.length] + GIVEN[Math.floor(y / GIVEN.length)];
}
