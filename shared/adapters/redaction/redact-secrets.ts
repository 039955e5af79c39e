// One redaction step for every text an adapter builds from what a server or the HTTP stack said: error
// messages, error codes, request ids, response snippets. Services echo what they were sent — a 401 body that
// quotes the Authorization header, a "Failed to parse URL from …?sig=…" — and those texts reach stderr,
// --json output, history rows and alerts. Two layers:
// - needles: the exact secrets this adapter holds (the bearer token it sent, a client secret, a webhook URL),
//   masked wherever they appear, also URL-encoded;
// - shapes: secrets we do not hold but recognise — an Authorization value (`Bearer …`), a JWT (three base64url
//   segments, the header starting `eyJ`, RFC 7519 §3), and key=value / "key": "value" pairs whose key names a
//   secret (`sig=` of a SAS URL, `code=` of an OAuth redirect, `client_secret=`, `AccountKey=` …).
// Over-masking an error text costs a little diagnosis; under-masking leaks a credential, so the shapes are broad.

export const MASK = '[redacted]';

export type Redactor = (text: string) => string;

/** Remembered needles shorter than this are not masked verbatim: masking "x" would shred every message. */
const MIN_NEEDLE = 8;

/** Keys whose value is a secret in a URL query, a form body or a connection string (`key=value`). */
const URL_SECRET_KEYS = [
  'sig', // SAS signature (Azure Storage, Logic Apps / Teams Workflows)
  'code', // OAuth authorization code; Azure Functions key
  'client_secret',
  'client_assertion',
  'assertion',
  'secret',
  'password',
  'pwd',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api[-_]?key',
  'subscription-key',
  'accountkey',
  'sharedaccesskey',
  'sharedaccesssignature',
].join('|');

/** Keys whose value is a secret in a JSON body (`"key": "value"`); not `code`, which is Graph's error code. */
const JSON_SECRET_KEYS = [
  'client_secret',
  'client_assertion',
  'secret',
  'password',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api[-_]?key',
  'accountkey',
  'sharedaccesskey',
  'sig',
  'signature',
].join('|');

const SHAPES: readonly (readonly [RegExp, string])[] = [
  // An Authorization header value (short words after "Bearer", as in `Bearer realm=""`, are not credentials).
  [/\b(Bearer|SharedAccessSignature)\s+[A-Za-z0-9._~+/=%&:-]{8,}/gi, `$1 ${MASK}`],
  // A JWT anywhere (access and id tokens from Entra ID are JWTs).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, MASK],
  // key=value in a URL, a form body or a connection string.
  [new RegExp(`(^|[?&;,\\s"'(])(${URL_SECRET_KEYS})=([^&;,\\s"'<>)]+)`, 'gi'), `$1$2=${MASK}`],
  // "key": "value" in a JSON body.
  [new RegExp(`("(?:${JSON_SECRET_KEYS})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${MASK}"`],
];

/** Mask the secret shapes only (for texts with no known needle). */
export function redactSecretShapes(text: string): string {
  return SHAPES.reduce((acc, [re, to]) => acc.replace(re, to), text);
}

/** Secrets remembered as they are used (bearer tokens, refreshed hourly): only the latest few are kept. */
const RECENT_NEEDLES = 8;

/** A redactor that also knows its needles, so it can mask one a cut left half of. */
export type CutRedactor = Redactor & {
  /**
   * Redact a text that was cut short (the first bytes of a response): besides every whole needle, a needle's
   * beginning at the very end is masked, which redaction alone would miss (it is no longer the whole needle).
   */
  cutShort(text: string): string;
};

export type SecretRedactor = CutRedactor & {
  /** Mask this secret from now on (e.g. a token just sent); the oldest remembered one is dropped past a few. */
  remember(secret: string): void;
};

/** A needle's beginning this short at a cut is not masked: a few characters of a secret give nothing away. */
const MIN_PARTIAL = 4;

/** A redactor for these configured secrets, those remembered later, and every secret shape. */
export function secretRedactor(configured: Iterable<string> = []): SecretRedactor {
  const fixed = [...configured].filter((n) => n.length > 0);
  let recent: string[] = [];
  let ordered: string[] = [];
  const rebuild = (): void => {
    const all = new Set<string>();
    for (const n of [...fixed, ...recent]) {
      all.add(n);
      const encoded = encodeURIComponent(n);
      if (encoded !== n) all.add(encoded);
    }
    // Longest first, so a URL is masked whole before its parts are.
    ordered = [...all].sort((a, b) => b.length - a.length);
  };
  rebuild();
  const redact = (text: string): string =>
    redactSecretShapes(ordered.reduce((acc, n) => (acc.includes(n) ? acc.split(n).join(MASK) : acc), text));
  const remember = (secret: string): void => {
    if (secret.length < MIN_NEEDLE || fixed.includes(secret) || recent.includes(secret)) return;
    recent = [...recent, secret].slice(-RECENT_NEEDLES);
    rebuild();
  };
  const cutShort = (text: string): string => {
    const redacted = redact(text);
    // The longest tail of the text that a needle begins with (a needle whole would have been masked above).
    let tail = 0;
    for (const n of ordered)
      for (let k = Math.min(n.length - 1, redacted.length); k > Math.max(tail, MIN_PARTIAL - 1); k--)
        if (redacted.endsWith(n.slice(0, k))) {
          tail = k;
          break;
        }
    return tail === 0 ? redacted : `${redacted.slice(0, redacted.length - tail)}${MASK}`;
  };
  return Object.assign(redact, { remember, cutShort });
}
