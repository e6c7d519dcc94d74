import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { isSecretKey, REDACTED, redact, redactText, safeAddress } from './redact';

const SECRET = 's3cr3t-Value_42';

describe('redact', () => {
  it('replaces the values of secret keys at any depth, whatever their case or separators', () => {
    const out = redact({
      password: SECRET,
      nested: { Authorization: `Bearer ${SECRET}`, 'X-Registry-Auth': SECRET, list: [{ identitytoken: SECRET }] },
      headers: { 'x-registry-config': SECRET, registry_token: SECRET, RegistryToken: SECRET },
      auth: { username: 'me', password: SECRET },
      clientSecret: SECRET,
      reference: 'lab/app:1.0',
    });
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out).toMatchObject({
      password: REDACTED,
      nested: { Authorization: REDACTED, 'X-Registry-Auth': REDACTED, list: [{ identitytoken: REDACTED }] },
      auth: REDACTED,
      clientSecret: REDACTED,
      reference: 'lab/app:1.0',
    });
  });

  it('scrubs tokens and passwords out of text: URLs, headers, JSON and credentials in addresses', () => {
    const texts = [
      `open http://127.0.0.1:4000/#token=${SECRET} in a browser`,
      `GET /api/events?token=${SECRET}&x=1`,
      `Authorization: Bearer ${SECRET}`,
      `authorization=Basic ${SECRET}`,
      `X-Registry-Auth: ${SECRET}`,
      `{"username":"me","password":"${SECRET}","identitytoken":"${SECRET}"}`,
      `tcp://admin:${SECRET}@10.0.0.5:2376 refused`,
      `login?password=${SECRET}`,
    ];
    for (const text of texts) {
      const clean = redactText(text);
      expect(clean, text).not.toContain(SECRET);
      expect(clean, text).toContain(REDACTED);
    }
    expect(redactText('GET /images/lab%2Fapp:1.0/json answered 404')).toBe(
      'GET /images/lab%2Fapp:1.0/json answered 404',
    );
  });

  it('keeps an error as its name, code and scrubbed message, and cuts cycles', () => {
    const error = new StrataError('registry_unauthorized', `the registry refused Basic ${SECRET}`);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const out = redact({ error, cyclic, bytes: Buffer.from('abc') }) as Record<string, Record<string, unknown>>;
    expect(out['error']).toMatchObject({ code: 'registry_unauthorized' });
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out['cyclic']?.['self']).toBe('[circular]');
    expect(out['bytes']).toBe('[3 bytes]');
  });

  it('tells secret keys from ordinary ones', () => {
    for (const key of ['password', 'Password', 'registryPassword', 'X-Registry-Auth', 'identityToken', 'auth'])
      expect(isSecretKey(key), key).toBe(true);
    for (const key of ['reference', 'author', 'path', 'status', 'keyFile', 'tokens_used'])
      expect(isSecretKey(key), key).toBe(false);
  });
});

describe('safeAddress', () => {
  it('drops user, password, query and fragment; keeps a unix socket path', () => {
    expect(safeAddress('ssh://deploy@build.example.com:2222/run/docker.sock?x=1')).toBe('ssh://build.example.com:2222');
    expect(safeAddress(`tcp://admin:${SECRET}@10.0.0.5:2376/?token=${SECRET}`)).toBe('tcp://10.0.0.5:2376');
    expect(safeAddress('unix:///var/run/docker.sock')).toBe('unix:///var/run/docker.sock');
    expect(safeAddress('(docker context)')).toBe('(docker context)');
  });
});
