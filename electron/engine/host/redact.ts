/**
 * What keeps secrets out of the log and the diagnostics: values under secret-looking keys are replaced, and strings
 * are scrubbed of bearer/basic credentials, `token=`/`password=` parameters (the browser server's `#token=` too),
 * passwords in URLs and X-Registry-Auth/X-Registry-Config header values.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are never kept, compared without case, `-` or `_` (`X-Registry-Auth` → `xregistryauth`). */
const SECRET_KEYS = new Set([
  'auth',
  'authorization',
  'proxyauthorization',
  'password',
  'passwd',
  'secret',
  'token',
  'identitytoken',
  'registrytoken',
  'xregistryauth',
  'xregistryconfig',
  'cookie',
  'setcookie',
  'apikey',
  'privatekey',
]);

/** `registryPassword`, `accessToken`, `clientSecret`, `basicAuth`: secret by their ending too. */
const SECRET_ENDINGS = /(password|passwd|secret|token|auth)$/;

export function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEYS.has(normal) || SECRET_ENDINGS.test(normal);
}

const STRING_RULES: readonly (readonly [RegExp, string])[] = [
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  // Header lines or pairs: `X-Registry-Auth: eyJ…`, `X-Registry-Config=…`.
  [/\b(X-Registry-(?:Auth|Config)|Authorization|Cookie)(["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, `$1$2${REDACTED}`],
  // Query or fragment parameters: `?token=…`, `#token=…`, `&password=…`, `access_token=…`.
  [
    /([?&#;\s]|^)((?:access_|refresh_|id_)?token|password|passwd|secret|auth|api_?key|sig|signature)=[^&#\s"']*/gi,
    `$1$2=${REDACTED}`,
  ],
  // JSON text: `"password":"…"`, `"identitytoken": "…"`.
  [
    /("(?:[A-Za-z_-]*(?:password|passwd|secret|token|auth)|authorization|x-registry-(?:auth|config))"\s*:\s*)"[^"]*"/gi,
    `$1"${REDACTED}"`,
  ],
  // A password in a URL: `tcp://user:pass@host`.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^/\s@]+@/gi, `$1:${REDACTED}@`],
];

const MAX_STRING = 4000;

export function redactText(text: string): string {
  let out = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text;
  for (const [pattern, replacement] of STRING_RULES) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 6;

/** A copy of `value` fit for the log: secrets out, errors as `{ name, code, message }`, bytes counted, cycles cut. */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  seen.add(value);
  try {
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code;
      const detail = (value as { detail?: unknown }).detail;
      return {
        name: value.name,
        ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
        message: redactText(value.message),
        ...(detail === undefined ? {} : { detail: redact(detail, depth + 1, seen) }),
      };
    }
    if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretKey(key)) {
        out[key] = REDACTED;
        continue;
      }
      const clean = redact(item, depth + 1, seen);
      if (clean !== undefined) out[key] = clean;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** An engine address fit for a bug report: no user, password, query or fragment (`ssh://me@box:22/x?y` → `ssh://box:22`). */
export function safeAddress(address: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)/i.exec(address.trim());
  if (match === null) return redactText(address.replace(/[?#].*$/, ''));
  const [, scheme = '', authority = '', path = ''] = match;
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  // unix:///path keeps its path; ssh://host/ keeps none (a path there is the remote socket, not needed to report).
  return scheme.toLowerCase().startsWith('unix') || scheme.toLowerCase().startsWith('npipe')
    ? `${scheme}${host}${path}`
    : `${scheme}${host}`;
}
