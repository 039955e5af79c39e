import { readScenarioFile } from '../../sim/scenario/load.js';
import type { ScenarioObject } from '../../sim/index.js';

// A tenant whose device names and serials are chosen by an attacker (issue 13): the demo plus blocked clones with
// terminal escape sequences, a right-to-left override and a serial whose table key must be hashed. Shared by the CLI
// test (what reaches a terminal) and the serve test (what reaches a browser).

export const DEMO_GROUP = '9a000000-0000-4000-8000-000000000001';
export const PWNED = '\u001b]0;pwned\u0007\u001b[2J';
/** Serial with an ESC sequence: unusable, skipped and reported. */
export const ESC_SERIAL = `9TQ${PWNED}`;
/** Serial with a right-to-left override: usable (no control character), but must not reorder the terminal. */
export const RLO_SERIAL = 'PF\u202eX0RLO';
/** Usable serial whose table key has to be hashed ('#' and '/' escape to 3 characters each). */
export const ESCAPING_SERIAL = `${'#/'.repeat(90)}9TQ`;

/** Everything a terminal would act on: C0 except the line feed, DEL, C1, line/paragraph separators, bidi controls. */
// eslint-disable-next-line no-control-regex -- exactly what must not be printed
export const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function hostileScenario(): ScenarioObject {
  const demo = readScenarioFile('demo');
  const identities = demo.windowsAutopilotDeviceIdentities ?? [];
  const blocked = identities.find((i) => i.serialNumber === '9TQ4L83');
  if (!blocked) throw new Error('the demo lost its blocked device');
  const clone = (n: string, serial: string) => ({
    ...blocked,
    id: `ad000000-0000-4000-8000-0000000000${n}`,
    serialNumber: serial,
    displayName: `CTS-${PWNED}\u009b31m`,
    azureActiveDirectoryDeviceId: `de000000-0000-4000-8000-0000000000${n}`,
    azureAdDeviceId: `de000000-0000-4000-8000-0000000000${n}`,
    managedDeviceId: `ed000000-0000-4000-8000-0000000000${n}`,
  });
  // Each blocked clone failed with 0x80180014 like the demo's, and its events carry a hostile device name.
  const failures = (demo.autopilotEvents ?? []).filter((e) => e.deviceSerialNumber === '9TQ4L83');
  const eventsFor = (n: string, serial: string) =>
    failures.map((e, i) => ({
      ...e,
      id: `e7000000-0000-4000-8000-000000${n}00${i}`,
      deviceId: null,
      deviceSerialNumber: serial,
      managedDeviceName: `CTS-${PWNED}\u009b31m`,
    }));
  return {
    ...demo,
    name: 'hostile-output',
    windowsAutopilotDeviceIdentities: [
      ...identities,
      clone('e1', ESC_SERIAL),
      clone('e2', RLO_SERIAL),
      clone('e3', ESCAPING_SERIAL),
    ],
    autopilotEvents: [
      ...(demo.autopilotEvents ?? []),
      ...eventsFor('e2', RLO_SERIAL),
      ...eventsFor('e3', ESCAPING_SERIAL),
    ],
  };
}
