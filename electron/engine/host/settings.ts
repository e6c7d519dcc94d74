/**
 * The engines the user added, kept in `<settings dir>/engines.json`: names, hosts and the PATHS of TLS files only
 * (never certificate or key contents, never passwords). Written atomically (temp file + rename) with mode 0600. A
 * file that cannot be read or parsed is reported (once, by the caller) and treated as empty: it never stops Strata.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { engineHostSchema, engineIdSchema, engineTlsSchema } from '../../../shared/api';

export const ENGINES_FILE = 'engines.json';

const storedEngineSchema = z.object({
  id: engineIdSchema,
  name: z.string().min(1).max(64),
  host: engineHostSchema,
  tls: engineTlsSchema.optional(),
});
export type StoredEngine = z.infer<typeof storedEngineSchema>;

const settingsFileSchema = z.object({ version: z.literal(1), engines: z.array(storedEngineSchema) });

export interface LoadedSettings {
  readonly engines: readonly StoredEngine[];
  /** Why the file was not used (corrupt, unreadable); undefined when it was fine or simply not there yet. */
  readonly problem: string | undefined;
}

export function settingsPath(settingsDir: string): string {
  return join(settingsDir, ENGINES_FILE);
}

/** Reads the added engines; a missing file is an empty list, a broken one is an empty list and a `problem`. */
export function loadEngineSettings(settingsDir: string): LoadedSettings {
  const path = settingsPath(settingsDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { engines: [], problem: undefined };
    return {
      engines: [],
      problem: `${path} cannot be read (${(error as Error).message}); starting without added engines.`,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    return { engines: [], problem: `${path} is not valid JSON; starting without added engines (add them again).` };
  }
  const parsed = settingsFileSchema.safeParse(raw);
  if (!parsed.success) {
    return { engines: [], problem: `${path} is not a Strata engine list; starting without added engines.` };
  }
  const seen = new Set<string>();
  const engines = parsed.data.engines.filter((engine) => {
    if (seen.has(engine.id)) return false;
    seen.add(engine.id);
    return true;
  });
  return { engines, problem: undefined };
}

/** Writes the list atomically: a private temp file in the same folder, then rename over engines.json. */
export function saveEngineSettings(settingsDir: string, engines: readonly StoredEngine[]): void {
  mkdirSync(settingsDir, { recursive: true, mode: 0o700 });
  const path = settingsPath(settingsDir);
  const temp = join(settingsDir, `.${ENGINES_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const body = {
    version: 1,
    // Only what the schema knows: whatever else a caller's object carries is never written.
    engines: engines.map((engine) => storedEngineSchema.parse(engine)),
  };
  try {
    writeFileSync(temp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
