/**
 * Registry credentials (log in, log out, which registries Strata knows) and browsing a registry v2:
 * catalog, tags and manifests. Passwords go to the registry and the secret store only; no result or
 * error carries one.
 */
import { readFile } from 'node:fs/promises';
import type { Manifest, RegistryEntry } from '../../../shared/api';
import { StrataError } from '../../../shared/errors';
import type { EngineContext, HandlerSlice } from '../host/context';
import { configuredRegistries, credentialKey, readConfig, type RegistryAuth } from './credentials';
import { configDirOf } from '../core/endpoint';
import {
  contentDigest,
  nextFromLink,
  registryFetch,
  registryStatusError,
  type RegistryCredentials,
  type RegistryResponse,
} from './http';
import { manifestSchema } from './manifest-schema';

export const MANIFEST_ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
] as const;

const LIST_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
]);

function toCredentials(auth: RegistryAuth | undefined): RegistryCredentials | undefined {
  if (auth === undefined) return undefined;
  if (auth.identitytoken !== undefined) return { identitytoken: auth.identitytoken };
  if (auth.username !== undefined && auth.password !== undefined) {
    return { username: auth.username, password: auth.password };
  }
  return undefined;
}

function parseJson(registry: string, res: RegistryResponse, what: string): unknown {
  try {
    return JSON.parse(res.body.toString('utf8')) as unknown;
  } catch {
    throw new StrataError('engine_error', `the registry ${registry} answered ${what} with something that is not JSON.`);
  }
}

/** A manifest body as the contract's Manifest (pure: unit-tested with recorded JSON). */
export function toManifest(
  registry: string,
  repository: string,
  reference: string,
  digest: string,
  contentType: string | undefined,
  body: unknown,
): Manifest {
  const m = manifestSchema.parse(body);
  const mediaType = m.mediaType ?? contentType?.split(';')[0]?.trim() ?? '';
  const isList = LIST_TYPES.has(mediaType) || m.manifests !== null;
  if (isList) {
    const manifests = m.manifests ?? [];
    return {
      registry,
      repository,
      reference,
      digest,
      mediaType,
      kind: 'list',
      layers: [],
      configDigest: null,
      totalSize: 0,
      platforms: manifests.map(({ platform, ...entry }) => ({
        digest: entry.digest ?? '',
        size: entry.size,
        mediaType: entry.mediaType ?? '',
        os: platform.os ?? 'unknown',
        architecture: platform.architecture ?? 'unknown',
        variant: platform.variant ?? null,
      })),
    };
  }
  if (m.schemaVersion === 1) {
    throw new StrataError(
      'engine_error',
      `${registry}/${repository}:${reference} has a schema 1 manifest, which Strata does not read.`,
    );
  }
  const layers = m.layers.map((l) => ({ digest: l.digest ?? '', size: l.size, mediaType: l.mediaType ?? '' }));
  const config = m.config;
  const configDigest = config === null ? null : (config.digest ?? null);
  const totalSize = layers.reduce((sum, l) => sum + l.size, config === null ? 0 : config.size);
  return {
    registry,
    repository,
    reference,
    digest,
    mediaType,
    kind: 'image',
    layers,
    configDigest,
    totalSize,
    platforms: [],
  };
}

function encodeRepository(repository: string): string {
  return repository.split('/').map(encodeURIComponent).join('/');
}

export function registryHandlers(
  ctx: EngineContext,
): HandlerSlice<
  | 'registries.list'
  | 'registries.login'
  | 'registries.logout'
  | 'registries.storage'
  | 'registries.catalog'
  | 'registries.tags'
  | 'registries.manifest'
> {
  const timeoutMs = Math.min(ctx.requestTimeoutMs, 15_000);

  const storage = (): { stored: 'encrypted' | 'session'; reason?: string } => {
    const reason = ctx.secrets.sessionReason;
    return { stored: ctx.secrets.kind, ...(reason === undefined ? {} : { reason }) };
  };

  const credentialsFor = async (registry: string): Promise<RegistryCredentials | undefined> =>
    toCredentials(await ctx.registryAuth(registry));

  return {
    'registries.list': async () => {
      const config = await readConfig((path) => readFile(path, 'utf8'), configDirOf(ctx.env, ctx.homeDir));
      const out = new Map<string, RegistryEntry>();
      for (const entry of configuredRegistries(config)) out.set(entry.registry, { ...entry });
      const source = ctx.secrets.kind === 'encrypted' ? 'stored' : 'session';
      for (const entry of await ctx.secrets.list()) {
        out.set(entry.registry, { registry: entry.registry, username: entry.username, source });
      }
      return [...out.values()].sort((a, b) => a.registry.localeCompare(b.registry));
    },

    'registries.login': async (args) => {
      const registry = credentialKey(args.registry);
      const res = await registryFetch({
        registry,
        path: '/v2/',
        credentials: { username: args.username, password: args.password },
        timeoutMs,
      });
      if (res.status === 401 || res.status === 403) {
        throw new StrataError(
          'registry_unauthorized',
          `${registry} refused the user name or password (${res.status}). Check them and log in again.`,
        );
      }
      if (res.status !== 200) {
        throw registryStatusError(registry, res, `the registry API (/v2/)`);
      }
      await ctx.secrets.set({ registry, username: args.username, password: args.password });
      return { registry, username: args.username, ...storage() };
    },

    'registries.storage': () => Promise.resolve(storage()),

    'registries.logout': async (args) => ({ removed: await ctx.secrets.delete(credentialKey(args.registry)) }),

    'registries.catalog': async (args) => {
      const registry = args.registry;
      const n = args.n ?? 100;
      const res = await registryFetch({
        registry,
        path: '/v2/_catalog',
        query: { n, ...(args.last === undefined ? {} : { last: args.last }) },
        credentials: await credentialsFor(registry),
        scope: 'registry:catalog:*',
        timeoutMs,
      });
      if (res.status !== 200) throw registryStatusError(registry, res, 'the catalog');
      const value = parseJson(registry, res, 'the catalog') as { repositories?: unknown };
      const repositories = Array.isArray(value.repositories)
        ? value.repositories.filter((r): r is string => typeof r === 'string')
        : [];
      const link = res.headers['link'];
      const next = nextFromLink(Array.isArray(link) ? link[0] : link);
      return { registry, repositories, next };
    },

    'registries.tags': async (args) => {
      const { registry, repository } = args;
      const credentials = await credentialsFor(registry);
      const tags: string[] = [];
      let last: string | null = null;
      for (let page = 0; page < 20; page++) {
        const res = await registryFetch({
          registry,
          path: `/v2/${encodeRepository(repository)}/tags/list`,
          query: { n: 1000, ...(last === null ? {} : { last }) },
          ...(credentials === undefined ? {} : { credentials }),
          scope: `repository:${repository}:pull`,
          timeoutMs,
        });
        if (res.status !== 200) throw registryStatusError(registry, res, `the repository ${repository}`);
        const value = parseJson(registry, res, 'the tag list') as { tags?: unknown };
        if (Array.isArray(value.tags)) tags.push(...value.tags.filter((t): t is string => typeof t === 'string'));
        const link = res.headers['link'];
        last = nextFromLink(Array.isArray(link) ? link[0] : link);
        if (last === null) break;
      }
      return { registry, repository, tags };
    },

    'registries.manifest': async (args) => {
      const { registry, repository, reference } = args;
      const res = await registryFetch({
        registry,
        path: `/v2/${encodeRepository(repository)}/manifests/${encodeURIComponent(reference)}`,
        headers: { Accept: MANIFEST_ACCEPT.join(', ') },
        credentials: await credentialsFor(registry),
        scope: `repository:${repository}:pull`,
        timeoutMs,
      });
      const sep = reference.includes(':') ? '@' : ':';
      if (res.status !== 200) throw registryStatusError(registry, res, `${repository}${sep}${reference}`);
      const contentType = res.headers['content-type'];
      return toManifest(
        registry,
        repository,
        reference,
        contentDigest(res),
        contentType,
        parseJson(registry, res, 'the manifest'),
      );
    },
  };
}
