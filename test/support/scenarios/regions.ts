import type { DataSource } from 'typeorm';
import { buildRegion, buildVillage } from '../factories';

/**
 * The regions both scenarios share: 甘肃省 › 天水市 with 武山县 (鸳鸯镇: 丁门村,
 * 王门村; 洛门镇: 西坪村) and 甘谷县 (大像山镇: 城关村). Their ids go into `ids`
 * under the keys below.
 */

const REGIONS: [key: string, parent: string | null, name: string][] = [
  ['province', null, '甘肃省'],
  ['tianshui', 'province', '天水市'],
  ['wushan', 'tianshui', '武山县'],
  ['gangu', 'tianshui', '甘谷县'],
  ['yuanyang', 'wushan', '鸳鸯镇'],
  ['luomen', 'wushan', '洛门镇'],
  ['daxiang', 'gangu', '大像山镇'],
];

/** The villages with what the roster says of them: poor or not, GCJ-02 position. */
export const VILLAGES: { key: string; town: string; name: string; isPoor: boolean; latitude: number; longitude: number }[] = [
  { key: 'dingmen', town: 'yuanyang', name: '丁门村', isPoor: true, latitude: 34.7215, longitude: 104.8912 },
  { key: 'wangmen', town: 'yuanyang', name: '王门村', isPoor: true, latitude: 34.7301, longitude: 104.9033 },
  { key: 'xiping', town: 'luomen', name: '西坪村', isPoor: false, latitude: 34.7512, longitude: 104.7731 },
  { key: 'chengguan', town: 'daxiang', name: '城关村', isPoor: true, latitude: 34.7420, longitude: 105.3301 },
];

/** Builds the regions and villages; `withDetails` false leaves the villages' poverty and position to the factory's defaults. */
export async function buildTianshui(db: DataSource, ids: Record<string, number>, { withDetails }: { withDetails: boolean }): Promise<void> {
  for (const [key, parent, name] of REGIONS) {
    ids[key] = (await buildRegion(db, { parentId: parent ? ids[parent] : null, name })).id;
  }
  for (const { key, town, name, isPoor, latitude, longitude } of VILLAGES) {
    ids[key] = (await buildVillage(db, { townId: ids[town], name, ...(withDetails ? { isPoor, latitude, longitude } : {}) })).id;
  }
}
