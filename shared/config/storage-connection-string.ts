// STORAGE_CONNECTION_STRING as @azure/data-tables 13 reads it (TableClient.fromConnectionString): `key=value`
// pairs separated by ';', keys case-insensitive, in one of three forms ("Configure Azure Storage connection
// strings": https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string):
//   - UseDevelopmentStorage=true (the local emulator, Azurite);
//   - an account key: DefaultEndpointsProtocol + AccountName + AccountKey, and either EndpointSuffix or an
//     explicit TableEndpoint;
//   - a shared access signature: TableEndpoint + SharedAccessSignature.
// The SDK does not validate: a part without '=' makes it throw "Cannot read properties of undefined (reading
// 'toLowerCase')" on first use, a missing piece a one-line error about the wrong piece. Checked here instead,
// at start-up, by name. The value holds the account key: no message ever quotes any part of it.

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

/** Every problem with `value`, each naming the part at fault; empty when the SDK can use it. */
export function storageConnectionStringProblems(value: string): string[] {
  // The SDK swaps the whole string for the emulator's when it finds this anywhere, so nothing else matters.
  if (/usedevelopmentstorage=true/i.test(value)) return [];
  const parts = value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const problems: string[] = [];
  const pairs = new Map<string, string>();
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq <= 0)
      problems.push(`part ${i + 1} of ${parts.length} is not key=value (expected e.g. AccountName=…;AccountKey=…)`);
    else if (!pairs.has(part.slice(0, eq).trim().toLowerCase()))
      pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  });
  if (parts.length === 0) return ['is empty; expected key=value pairs separated by ";"'];
  const get = (key: string): string => pairs.get(key.toLowerCase()) ?? '';
  const tableEndpoint = get('TableEndpoint');
  if (tableEndpoint !== '' && !isHttpUrl(tableEndpoint)) problems.push('TableEndpoint is not an http(s) URL');

  if (pairs.has('accountkey')) {
    const protocol = get('DefaultEndpointsProtocol').toLowerCase();
    if (protocol === '') problems.push('has AccountKey but no DefaultEndpointsProtocol (https)');
    else if (protocol !== 'https' && protocol !== 'http')
      problems.push('DefaultEndpointsProtocol must be https (or http for a local emulator)');
    if (get('AccountName') === '') problems.push('has AccountKey but no AccountName');
    if (!BASE64.test(get('AccountKey')))
      problems.push("AccountKey is empty or not base64 (copy it from the storage account's Access keys)");
    if (tableEndpoint === '' && get('EndpointSuffix') === '')
      problems.push('needs EndpointSuffix (core.windows.net) or TableEndpoint');
  } else if (pairs.has('sharedaccesssignature')) {
    if (get('SharedAccessSignature') === '') problems.push('SharedAccessSignature is empty');
    if (tableEndpoint === '')
      problems.push('a SharedAccessSignature needs TableEndpoint (https://<account>.table.core.windows.net)');
  } else if (problems.length === 0) {
    problems.push(
      'is neither an account-key connection string (DefaultEndpointsProtocol, AccountName, AccountKey, EndpointSuffix) ' +
        'nor a SAS one (TableEndpoint, SharedAccessSignature) nor UseDevelopmentStorage=true',
    );
  }
  return problems;
}
