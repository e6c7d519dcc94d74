/**
 * engine.diagnostics: what a bug report needs (app and platform versions; for each engine its endpoint kind, a safe
 * address, TLS, versions, state and last warnings and errors), and nothing secret. Addresses lose their user name
 * (an ssh user shows as `user@`), password, query and fragment; every string goes through redact.ts and is scrubbed of
 * the raw addresses and their user parts as well (an error text may quote them without a scheme). Registry
 * credentials, headers and environment values are never read here.
 */
import { arch, release } from 'node:os';
import type { DiagnosticLog, Diagnostics, EngineDiagnostics, EngineEntry, EngineStatus } from '../../../shared/api';
import { toErrorShape } from '../../../shared/errors';
import type { LogRecord } from './logger';
import { REDACTED, redact, redactText } from './redact';

/** How many warnings and errors a report keeps, per engine and for the app. */
export const DIAGNOSTIC_RECENT = 20;
/** An engine that does not answer a ping this long shows as unreachable. */
export const DIAGNOSTIC_PING_MS = 5_000;

export interface DiagnosticEngine {
  readonly entry: EngineEntry;
  /** engine.ping of its service. */
  readonly ping: () => Promise<EngineStatus>;
}

export interface DiagnosticsOptions {
  /** Strata's version (package.json); `unknown` when not given. */
  readonly appVersion?: string | undefined;
  readonly engines: readonly DiagnosticEngine[];
  /** logger.recent(): the last warnings and errors, oldest first. */
  readonly recent: readonly LogRecord[];
  readonly pingTimeoutMs?: number;
  /** Tests: the process versions and OS (default: this process's). */
  readonly platform?: Diagnostics['platform'];
}

function platformNow(): Diagnostics['platform'] {
  const electron = process.versions['electron'];
  const chrome = process.versions['chrome'];
  return {
    os: process.platform,
    osRelease: release(),
    arch: arch(),
    node: process.versions.node,
    ...(electron === undefined ? {} : { electron }),
    ...(chrome === undefined ? {} : { chrome }),
  };
}

/**
 * An address fit for a bug report: `tcp://me:pw@host:2375/?x` → `tcp://host:2375`, `ssh://me@box:22/run/x.sock` →
 * `ssh://user@box:22`, `unix:///var/run/docker.sock` as it is; text that is no URL loses its query and secrets.
 */
export function diagnosticAddress(address: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(address.trim());
  if (match === null)
    return redactText(
      address
        .trim()
        .replace(/[?#].*$/, '')
        .trim(),
    );
  const [, rawScheme = '', authority = '', path = ''] = match;
  const scheme = rawScheme.toLowerCase();
  const at = authority.lastIndexOf('@');
  let host = at === -1 ? authority : authority.slice(at + 1);
  // `tcp://me:pw@host:2375` is held as `tcp://[me:pw@host]:2375` (the colon reads as IPv6): unbracket the host.
  if (at !== -1 && authority.startsWith('[') && !host.startsWith('[') && host.includes(']')) {
    const inner = host.slice(0, host.indexOf(']'));
    const rest = host.slice(host.indexOf(']') + 1);
    host = inner.includes(':') ? `[${inner}]${rest}` : `${inner}${rest}`;
  }
  if (scheme === 'unix' || scheme === 'npipe') return `${scheme}://${host}${path}`;
  if (scheme === 'ssh') return `ssh://${at === -1 ? '' : 'user@'}${host}`;
  return `${scheme}://${host}`;
}

/** The fragments of the raw addresses that must not show: each whole address and its user part (`me:pw`, `me`). */
function secretFragments(entries: readonly EngineEntry[]): readonly (readonly [string, string])[] {
  const pairs: [string, string][] = [];
  for (const entry of entries) {
    const raw = entry.host.trim();
    const safe = diagnosticAddress(raw);
    if (raw !== safe) pairs.push([raw, safe]);
    const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '';
    const at = authority.lastIndexOf('@');
    if (at > 0) {
      const userPart = authority.slice(authority.startsWith('[') ? 1 : 0, at);
      pairs.push([`[${userPart}@`, '']);
      pairs.push([`${userPart}@`, entry.kind === 'ssh' && !userPart.includes(':') ? 'user@' : '']);
      const colon = userPart.indexOf(':');
      if (colon !== -1 && colon < userPart.length - 1) {
        pairs.push([userPart.slice(colon + 1), REDACTED]);
        // As the log already has it: redact.ts took the password out of the URL, the user name is still there.
        const redacted = `${userPart.slice(0, colon)}:${REDACTED}@`;
        pairs.push([`[${redacted}`, ''], [redacted, '']);
      }
    }
  }
  // Longest first, so that a whole address is replaced before its parts.
  return pairs.filter(([from]) => from.length >= 3).sort((a, b) => b[0].length - a[0].length);
}

function scrubber(entries: readonly EngineEntry[]): (text: string) => string {
  const fragments = secretFragments(entries);
  const replace = (text: string): string => fragments.reduce((out, [from, to]) => out.split(from).join(to), text);
  return (text) => replace(redactText(replace(text)));
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? '';
}

function toDiagnosticLog(record: LogRecord, scrub: (text: string) => string, ofEngine: boolean): DiagnosticLog {
  const fields: Record<string, string> = {};
  // Redacted again: a record from a logger that was not Strata's (tests, tools) must not bring secrets in either.
  const clean = redact(record.fields) as Record<string, unknown>;
  for (const [key, value] of Object.entries(clean)) {
    // Under its engine, a record's engine id says nothing new.
    if ((ofEngine && key === 'engineId') || value === undefined) continue;
    fields[key] = scrub(fieldText(value));
  }
  return {
    time: record.time,
    level: record.level === 'error' ? 'error' : 'warn',
    message: scrub(record.msg),
    fields,
  };
}

const problems = (records: readonly LogRecord[]): readonly LogRecord[] =>
  records.filter((r) => r.level === 'warn' || r.level === 'error');

const last = <T>(items: readonly T[]): T[] => items.slice(Math.max(0, items.length - DIAGNOSTIC_RECENT));

async function pingWithin(engine: DiagnosticEngine, timeoutMs: number): Promise<EngineStatus | { error: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ error: string }>((resolve) => {
    timer = setTimeout(
      () => resolve({ error: `The engine did not answer within ${Math.round(timeoutMs / 1000)} s.` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      engine.ping().catch((error: unknown) => ({ error: toErrorShape(error).message })),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function collectDiagnostics(options: DiagnosticsOptions): Promise<Diagnostics> {
  const entries = options.engines.map((e) => e.entry);
  const scrub = scrubber(entries);
  const recent = problems(options.recent);
  const known = new Set(entries.map((e) => e.id));
  const timeoutMs = options.pingTimeoutMs ?? DIAGNOSTIC_PING_MS;

  const engines = await Promise.all(
    options.engines.map(async (engine): Promise<EngineDiagnostics> => {
      const { entry } = engine;
      const status = await pingWithin(engine, timeoutMs);
      const own = recent.filter((r) => r.fields['engineId'] === entry.id);
      const base = {
        engineId: entry.id,
        kind: entry.kind,
        address: diagnosticAddress(entry.host),
        tls: entry.tls,
        recent: last(own).map((r) => toDiagnosticLog(r, scrub, true)),
      };
      if (!('state' in status)) return { ...base, state: 'unreachable', error: scrub(status.error) };
      return {
        ...base,
        state: status.state,
        ...(status.serverVersion === undefined ? {} : { serverVersion: status.serverVersion }),
        ...(status.apiVersion === undefined ? {} : { apiVersion: status.apiVersion }),
        ...(status.state === 'connected' || status.error === undefined ? {} : { error: scrub(status.error.message) }),
      };
    }),
  );

  const general = recent.filter((r) => {
    const id = r.fields['engineId'];
    return typeof id !== 'string' || !known.has(id);
  });
  return {
    generatedAt: new Date().toISOString(),
    app: {
      version: options.appVersion ?? 'unknown',
      mode: process.versions['electron'] === undefined ? 'browser' : 'desktop',
    },
    platform: options.platform ?? platformNow(),
    engines,
    recent: last(general).map((r) => toDiagnosticLog(r, scrub, false)),
  };
}
