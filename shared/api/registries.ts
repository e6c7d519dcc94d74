/**
 * Registries: credentials, and browsing a registry v2 (catalog, tags, manifests).
 */
import { z } from 'zod';
import { emptyArgsSchema, method } from './common';

/** A registry host: `registry.example.com`, `127.0.0.1:5000`, `docker.io`. No scheme, no path. */
export const registryHostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]{1,5})?$/,
    'A registry is a host with an optional port, for example "registry.example.com" or "127.0.0.1:5000" (no https://, no path).',
  );

export const registryEntrySchema = z.object({
  registry: z.string(),
  /** Known user name; never a secret. */
  username: z.string().nullable(),
  /** Where the credentials come from. */
  source: z.enum(['config', 'helper', 'stored', 'session', 'none']),
});
export type RegistryEntry = z.infer<typeof registryEntrySchema>;

export const loginResultSchema = z.object({
  registry: z.string(),
  username: z.string(),
  /** `encrypted`: kept with the OS keychain (desktop); `session`: in memory until Strata quits (browser mode). */
  stored: z.enum(['encrypted', 'session']),
  /** Why typed credentials stay for the session only on a desktop without a real keychain. */
  reason: z.string().optional(),
});

/** `registries.storage`: where a login's credentials would be kept, asked before the user types them. */
export const credentialStorageSchema = loginResultSchema.pick({ stored: true, reason: true });
export type CredentialStorage = z.infer<typeof credentialStorageSchema>;

const repositoryNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/, 'Not a repository name.');

export const catalogSchema = z.object({
  registry: z.string(),
  repositories: z.array(z.string()),
  /** Pass as `last` for the next page; null at the end. */
  next: z.string().nullable(),
});

export const repositoryTagsSchema = z.object({
  registry: z.string(),
  repository: z.string(),
  tags: z.array(z.string()),
});

export const manifestSchema = z.object({
  registry: z.string(),
  repository: z.string(),
  reference: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  kind: z.enum(['image', 'list']),
  /** Image manifests: each layer's digest, compressed size and media type. */
  layers: z.array(z.object({ digest: z.string(), size: z.number(), mediaType: z.string() })),
  /** Image manifests: the config blob's digest. */
  configDigest: z.string().nullable(),
  /** Sum of the config and layer sizes (what a pull downloads at most); 0 for lists. */
  totalSize: z.number(),
  /** Manifest lists / OCI indexes: one entry per platform. */
  platforms: z.array(
    z.object({
      digest: z.string(),
      size: z.number(),
      mediaType: z.string(),
      os: z.string(),
      architecture: z.string(),
      variant: z.string().nullable(),
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const registryMethods = {
  'registries.list': method({
    args: emptyArgsSchema,
    result: z.array(registryEntrySchema),
    job: false,
    summary: 'Registries Strata has credentials for, and where they come from (never the secrets).',
  }),
  'registries.login': method({
    args: z
      .object({
        registry: registryHostSchema,
        username: z.string().min(1).max(1024),
        password: z.string().min(1).max(16384),
      })
      .strict(),
    result: loginResultSchema,
    job: false,
    summary:
      "Checks credentials against the registry's /v2/ endpoint, then keeps them (encrypted, or for the session).",
  }),
  'registries.storage': method({
    args: z.object({}).strict(),
    result: credentialStorageSchema,
    job: false,
    summary:
      'Where typed credentials are kept: encrypted with the OS keychain, or for the session only (and why: no keyring).',
  }),
  'registries.logout': method({
    args: z.object({ registry: registryHostSchema }).strict(),
    result: z.object({ removed: z.boolean() }),
    job: false,
    summary: 'Forgets the credentials Strata stored for a registry (docker config entries are left alone).',
  }),
  'registries.catalog': method({
    args: z
      .object({
        registry: registryHostSchema,
        last: z.string().max(512).optional(),
        n: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    result: catalogSchema,
    job: false,
    summary: "A page of a registry v2's repository catalog.",
  }),
  'registries.tags': method({
    args: z.object({ registry: registryHostSchema, repository: repositoryNameSchema }).strict(),
    result: repositoryTagsSchema,
    job: false,
    summary: 'The tags of one repository in a registry.',
  }),
  'registries.manifest': method({
    args: z
      .object({
        registry: registryHostSchema,
        repository: repositoryNameSchema,
        reference: z.string().regex(/^([\w][\w.-]{0,127}|[a-z0-9]+:[a-f0-9]{32,})$/, 'Not a tag or digest.'),
      })
      .strict(),
    result: manifestSchema,
    job: false,
    summary: 'A manifest: size per layer for an image, the platform list for a manifest list or index.',
  }),
} as const;
