/**
 * Realistic hardware for generated devices: manufacturer, model and a serial in that vendor's
 * format. Serials are a bijective scramble of the index, so they look random but never collide.
 */
import { hash32, pick } from './random.js';

export interface Hardware {
  manufacturer: string;
  model: string;
  systemFamily: string;
  skuNumber: string;
  serialNumber: string;
  /** Device name from the Autopilot profile template `CTS-%SERIAL%`, at most 15 characters. */
  deviceName: string;
}

interface Vendor {
  manufacturer: string;
  models: readonly (readonly [model: string, family: string, sku: string])[];
  serial: (i: number, seed: number) => string;
  name: (serial: string) => string;
}

const b36 = (n: number, width: number): string => n.toString(36).toUpperCase().padStart(width, '0');

const VENDORS: readonly Vendor[] = [
  {
    manufacturer: 'Dell Inc.',
    models: [
      ['Latitude 5440', 'Latitude', '0C0F'],
      ['Latitude 7440', 'Latitude', '0C10'],
      ['OptiPlex 7010', 'OptiPlex', '0B1C'],
      ['Precision 3580', 'Precision', '0BFE'],
    ],
    // 7-character service tag. 2654435761 is coprime with 36^7, so the map is a bijection.
    serial: (i, seed) => b36((i * 2654435761 + seed * 7919) % 36 ** 7, 7),
    name: (s) => `CTS-${s}`,
  },
  {
    manufacturer: 'HP',
    models: [
      ['HP EliteBook 840 G10 Notebook PC', '103C_5336AN HP EliteBook', '8AF3'],
      ['HP ProBook 450 G10 Notebook PC', '103C_5336AN HP ProBook', '8B1E'],
      ['HP Elite Mini 800 G9 Desktop PC', '103C_53307F HP EliteDesk', '895E'],
    ],
    serial: (i, seed) => `5CG${b36((i * 48271 + seed * 131) % 36 ** 7, 7)}`,
    name: (s) => `CTS-${s}`,
  },
  {
    manufacturer: 'LENOVO',
    models: [
      ['21HD', 'ThinkPad T14 Gen 4', 'LENOVO_MT_21HD_BU_Think_FM_ThinkPad T14 Gen 4'],
      ['21HM', 'ThinkPad X1 Carbon Gen 11', 'LENOVO_MT_21HM_BU_Think_FM_ThinkPad X1 Carbon Gen 11'],
      ['12E3', 'ThinkCentre M70q Gen 4', 'LENOVO_MT_12E3_BU_Think_FM_ThinkCentre M70q Gen 4'],
    ],
    serial: (i, seed) => `PF${b36((i * 48271 + seed * 17) % 36 ** 6, 6)}`,
    name: (s) => `CTS-${s}`,
  },
  {
    manufacturer: 'Microsoft Corporation',
    models: [
      ['Surface Laptop 5', 'Surface', 'Surface_Laptop_5_1950'],
      ['Surface Pro 9', 'Surface', 'Surface_Pro_9_2038'],
    ],
    // 12 digits; i * 7919 + 1000003 stays below 10^10 for a million devices, so the last 10 digits are unique.
    serial: (i, seed) => String((i * 7919 + 1_000_003 + (seed % 97) * 10_000_000_000) % 10 ** 12).padStart(12, '0'),
    name: (s) => `CTS-S${s.slice(-10)}`,
  },
];

/** Dell 35 %, HP 30 %, Lenovo 25 %, Surface 10 %. */
function vendorFor(seed: number, i: number): Vendor {
  const r = hash32(seed, i, 1) % 100;
  const v = VENDORS[r < 35 ? 0 : r < 65 ? 1 : r < 90 ? 2 : 3];
  if (!v) throw new Error('vendor table is empty');
  return v;
}

export function hardwareFor(seed: number, i: number): Hardware {
  const v = vendorFor(seed, i);
  const [model, systemFamily, skuNumber] = pick(v.models, seed, i, 2);
  const serialNumber = v.serial(i, seed);
  return {
    manufacturer: v.manufacturer,
    model,
    systemFamily,
    skuNumber,
    serialNumber,
    deviceName: v.name(serialNumber),
  };
}

const FIRST = [
  'adele',
  'alex',
  'diego',
  'grady',
  'henrietta',
  'isaiah',
  'johanna',
  'joni',
  'lee',
  'lidia',
  'lynne',
  'megan',
  'miriam',
  'nestor',
  'patti',
  'pradeep',
];
const LAST = [
  'vance',
  'wilber',
  'siciliani',
  'archie',
  'mueller',
  'langer',
  'lorenz',
  'sherman',
  'gu',
  'holloway',
  'robbins',
  'bowen',
  'graham',
  'wilke',
  'fernandez',
  'gupta',
];

/** A unique UPN for device index i (the index keeps it unique in a 100,000-user tenant). */
export function upnFor(seed: number, i: number): string {
  return `${pick(FIRST, seed, i, 3)}.${pick(LAST, seed, i, 4)}${i}@contoso.com`;
}

/** Windows' default name for a device-prep device: DESKTOP- and seven characters. */
export const desktopName = (seed: number, i: number): string =>
  `DESKTOP-${b36((i * 2654435761 + seed * 3) % 36 ** 7, 7)}`;
