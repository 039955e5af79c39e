import { InvalidDeviceKeyError, lookupDevice } from '../../shared/app/devices/lookup-device.js';
import { deviceLookupDeps } from '../../shared/composition/device-lookup.js';
import { parseDeviceKey } from '../../shared/core/lookup/device-records.js';
import { bool, type CommandSpec, type ParsedFlags, str, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { candidatesText, deviceText } from '../output/device-text.js';
import { terminalJson, terminalText } from '../output/terminal.js';
import { openCliSession, SESSION_FLAGS } from '../session.js';

// autopilot-medic device <key>: the technician's view of one device. Exit 0 with the view; 1 when no device has
// the key, or several do (the candidates are listed: ask again by serial number or id), or Graph or storage
// failed; 2 for a key no device can have (empty, control characters, too long).

export const deviceSpec: CommandSpec = {
  name: 'device',
  summary:
    'One device: Autopilot identity, Entra and Intune records, last deployments with error codes explained,\n' +
    'device-preparation group membership, open findings with their fix, remediation history, admin-center links.',
  positional: {
    name: 'key',
    help: 'a serial number, a device name (Entra or Intune), or an id (Autopilot, Entra object or device id, Intune)',
  },
  flags: {
    scenario: SESSION_FLAGS.scenario,
    verbose: SESSION_FLAGS.verbose,
    tenant: SESSION_FLAGS.tenant,
    json: { type: 'boolean', help: 'print the view as JSON to stdout' },
  },
};

export async function deviceCommand(
  flags: ParsedFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const key = str(flags, 'key') ?? '';
  // A key no device can have is a usage error before anything starts (no simulator, no storage).
  const parsed = parseDeviceKey(key);
  if (!parsed.ok) throw new UsageError(`device: <key>: ${parsed.problem}`);
  const session = await openCliSession('device', flags, env, {});
  try {
    const json = bool(flags, 'json');
    const result = await lookupDevice(deviceLookupDeps(session.container), key).catch((err: unknown) => {
      if (err instanceof InvalidDeviceKeyError) throw new UsageError(`device: <key>: ${err.reason}`);
      throw err;
    });
    if (result.kind === 'found') {
      process.stdout.write(json ? `${terminalJson(result.device, 2)}\n` : `${deviceText(result.device)}\n`);
      if (!json && result.device.openFindings.length === 0 && result.device.history.length === 0) {
        process.stdout.write(
          '\n(Nothing recorded for this device: findings and history come from `autopilot-medic sweep` runs against the same storage.)\n',
        );
      }
      return EXIT.ok;
    }
    if (json) {
      const body =
        result.kind === 'not-found'
          ? { error: 'device-not-found', message: result.message, key: result.key }
          : { error: 'device-key-ambiguous', message: result.message, key: result.key, candidates: result.candidates };
      process.stdout.write(`${terminalJson(body, 2)}\n`);
    }
    process.stderr.write(`${terminalText(result.message)}\n`);
    if (result.kind === 'ambiguous') process.stderr.write(`${candidatesText(result.candidates)}\n`);
    return EXIT.aborted;
  } finally {
    await session.close();
  }
}
