/** Registries: credentials, and browsing a registry v2 (catalog → tags → manifest) with a one-click pull. */
import { useState } from 'react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { registryHostSchema, type Manifest, type RegistryEntry } from '../../../../shared/api';
import { StrataError } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';
import { formatBytes, shortId } from '../../lib/format';
import './registries.css';

const SOURCE_LABEL: Readonly<Record<RegistryEntry['source'], string>> = {
  config: 'docker config',
  helper: 'credential helper',
  stored: 'Strata (encrypted)',
  session: 'Strata (this session)',
  none: '—',
};

function ErrorNotice({ error, registry }: { readonly error: unknown; readonly registry: string }) {
  const openDialog = useUi((s) => s.openDialog);
  const message = error instanceof Error ? error.message : String(error);
  const unauthorized = error instanceof StrataError && error.code === 'registry_unauthorized';
  return (
    <div className="notice notice-error" role="alert">
      {message}
      {unauthorized ? (
        <>
          {' '}
          <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'login', registry })}>
            Log in…
          </button>
        </>
      ) : null}
    </div>
  );
}

function KnownRegistries({ onBrowse }: { readonly onBrowse: (registry: string) => void }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const openDialog = useUi((s) => s.openDialog);
  const [logoutError, setLogoutError] = useState<string | undefined>(undefined);
  const list = useQuery({
    queryKey: queryKeys.registriesList(),
    queryFn: async () => unwrap(await strata.registries.list({})),
  });
  const logout = async (registry: string): Promise<void> => {
    setLogoutError(undefined);
    try {
      unwrap(await strata.registries.logout({ registry }));
      await queryClient.invalidateQueries({ queryKey: ['registries'] });
    } catch (error) {
      setLogoutError(error instanceof Error ? error.message : String(error));
    }
  };
  const entries = list.data ?? [];
  return (
    <section className="registries-known" aria-labelledby="registries-known-title">
      <h2 id="registries-known-title">Known registries</h2>
      {list.error === null ? null : <ErrorNotice error={list.error} registry="" />}
      {logoutError === undefined ? null : (
        <p className="notice notice-error" role="alert">
          {logoutError}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="muted">No credentials yet: Strata browses registries anonymously until you log in.</p>
      ) : (
        <table className="layers-table" aria-label="Known registries">
          <thead>
            <tr>
              <th scope="col">Registry</th>
              <th scope="col">User</th>
              <th scope="col">Credentials from</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.registry}>
                <td className="cell-mono">{entry.registry}</td>
                <td className="cell-text">{entry.username ?? '—'}</td>
                <td className="cell-text">{SOURCE_LABEL[entry.source]}</td>
                <td className="cell-actions">
                  <button type="button" className="button button-small" onClick={() => onBrowse(entry.registry)}>
                    Browse
                  </button>
                  {entry.source === 'stored' || entry.source === 'session' ? (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => void logout(entry.registry)}
                      aria-label={`Log out of ${entry.registry}`}
                    >
                      Log out
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => openDialog({ kind: 'login', registry: entry.registry })}
                      aria-label={`Log in to ${entry.registry}`}
                    >
                      Log in…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Catalog({ registry, repository }: { readonly registry: string; readonly repository: string | undefined }) {
  const strata = useStrata();
  const setRegistryBrowse = useUi((s) => s.setRegistryBrowse);
  const catalog = useInfiniteQuery({
    queryKey: queryKeys.registryCatalog(registry),
    queryFn: async ({ pageParam }) =>
      unwrap(
        await strata.registries.catalog(
          pageParam === null ? { registry, n: 100 } : { registry, n: 100, last: pageParam },
        ),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next,
  });
  const repositories = catalog.data?.pages.flatMap((p) => p.repositories) ?? [];
  return (
    <section className="registries-pane" aria-labelledby="registries-catalog-title">
      <h2 id="registries-catalog-title">Repositories</h2>
      {catalog.isPending ? <p className="muted">Reading the catalog of {registry}…</p> : null}
      {catalog.error === null ? null : <ErrorNotice error={catalog.error} registry={registry} />}
      {catalog.isSuccess && repositories.length === 0 ? (
        <p className="muted">{registry} lists no repositories.</p>
      ) : null}
      <ul className="registries-list" aria-label="Repositories">
        {repositories.map((name) => (
          <li key={name}>
            <button
              type="button"
              className={`button button-quiet registries-item${name === repository ? ' is-active' : ''}`}
              aria-pressed={name === repository}
              onClick={() => setRegistryBrowse({ registry, repository: name })}
            >
              {name}
            </button>
          </li>
        ))}
      </ul>
      {catalog.hasNextPage ? (
        <button
          type="button"
          className="button button-small"
          disabled={catalog.isFetchingNextPage}
          onClick={() => void catalog.fetchNextPage()}
        >
          {catalog.isFetchingNextPage ? 'Loading…' : 'More repositories'}
        </button>
      ) : null}
    </section>
  );
}

function Tags({
  registry,
  repository,
  selected,
  onSelect,
}: {
  readonly registry: string;
  readonly repository: string;
  readonly selected: string | undefined;
  readonly onSelect: (tag: string) => void;
}) {
  const strata = useStrata();
  const [pullError, setPullError] = useState<string | undefined>(undefined);
  const tags = useQuery({
    queryKey: queryKeys.registryTags(registry, repository),
    queryFn: async () => unwrap(await strata.registries.tags({ registry, repository })),
  });
  const pull = async (tag: string): Promise<void> => {
    const reference = `${registry}/${repository}:${tag}`;
    setPullError(undefined);
    try {
      const { jobId } = unwrap(await strata.images.pull({ reference }));
      const ui = useUi.getState();
      ui.setPullReference(reference);
      ui.setPullJob(jobId);
      ui.openDialog({ kind: 'pull' });
    } catch (error) {
      setPullError(
        `Could not start the pull of ${reference}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const list = tags.data?.tags ?? [];
  return (
    <section className="registries-pane" aria-labelledby="registries-tags-title">
      <h2 id="registries-tags-title">Tags of {repository}</h2>
      {tags.isPending ? <p className="muted">Reading tags…</p> : null}
      {tags.error === null ? null : <ErrorNotice error={tags.error} registry={registry} />}
      {pullError === undefined ? null : (
        <p className="notice notice-error" role="alert">
          {pullError}
        </p>
      )}
      {tags.isSuccess && list.length === 0 ? <p className="muted">No tags.</p> : null}
      <ul className="registries-list" aria-label="Tags">
        {list.map((tag) => (
          <li key={tag}>
            <button
              type="button"
              className={`button button-quiet registries-item cell-mono${tag === selected ? ' is-active' : ''}`}
              aria-pressed={tag === selected}
              onClick={() => onSelect(tag)}
            >
              {tag}
            </button>
            <button
              type="button"
              className="button button-small button-primary"
              aria-label={`Pull ${repository}:${tag}`}
              onClick={() => void pull(tag)}
            >
              Pull
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ManifestDetails({ manifest }: { readonly manifest: Manifest }) {
  return (
    <>
      <dl className="registries-manifest-meta">
        <dt>Digest</dt>
        <dd className="cell-mono">{manifest.digest}</dd>
        <dt>Media type</dt>
        <dd className="cell-mono">{manifest.mediaType}</dd>
        {manifest.kind === 'image' ? (
          <>
            <dt>Total</dt>
            <dd>
              {formatBytes(manifest.totalSize)} in {manifest.layers.length}{' '}
              {manifest.layers.length === 1 ? 'layer' : 'layers'} (compressed, with the config)
            </dd>
          </>
        ) : null}
      </dl>
      {manifest.kind === 'image' ? (
        <table className="layers-table" aria-label="Manifest layers">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Layer</th>
              <th scope="col" className="cell-numeric">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {manifest.layers.map((layer, index) => (
              <tr key={`${layer.digest}-${index}`}>
                <td className="cell-numeric">{index + 1}</td>
                <td className="cell-mono" title={layer.digest}>
                  {shortId(layer.digest)}
                </td>
                <td className="cell-numeric">{formatBytes(layer.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <table className="layers-table" aria-label="Platforms">
          <thead>
            <tr>
              <th scope="col">Platform</th>
              <th scope="col">Manifest</th>
              <th scope="col" className="cell-numeric">
                Size
              </th>
            </tr>
          </thead>
          <tbody>
            {manifest.platforms.map((p) => (
              <tr key={p.digest + p.architecture + (p.variant ?? '')}>
                <td className="cell-text">
                  {p.os}/{p.architecture}
                  {p.variant === null ? '' : `/${p.variant}`}
                </td>
                <td className="cell-mono" title={p.digest}>
                  {shortId(p.digest)}
                </td>
                <td className="cell-numeric">{formatBytes(p.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function ManifestPane({
  registry,
  repository,
  reference,
}: {
  readonly registry: string;
  readonly repository: string;
  readonly reference: string;
}) {
  const strata = useStrata();
  const manifest = useQuery({
    queryKey: queryKeys.registryManifest(registry, repository, reference),
    queryFn: async () => unwrap(await strata.registries.manifest({ registry, repository, reference })),
  });
  return (
    <section className="registries-pane" aria-labelledby="registries-manifest-title">
      <h2 id="registries-manifest-title">
        Manifest of {repository}:{reference}
      </h2>
      {manifest.isPending ? <p className="muted">Reading the manifest…</p> : null}
      {manifest.error === null ? null : <ErrorNotice error={manifest.error} registry={registry} />}
      {manifest.data === undefined ? null : <ManifestDetails manifest={manifest.data} />}
    </section>
  );
}

export function RegistriesView() {
  const strata = useStrata();
  // The same query as the Known registries table: one request, and the input suggests those registries.
  const known = useQuery({
    queryKey: queryKeys.registriesList(),
    queryFn: async () => unwrap(await strata.registries.list({})),
  });
  const browse = useUi((s) => s.registryBrowse);
  const setRegistryBrowse = useUi((s) => s.setRegistryBrowse);
  const openDialog = useUi((s) => s.openDialog);
  const [draft, setDraft] = useState(browse?.registry ?? '');
  const [selectedTag, setSelectedTag] = useState<{ readonly key: string; readonly tag: string } | undefined>(undefined);

  const check = registryHostSchema.safeParse(draft.trim());
  const invalidReason = draft === '' || check.success ? undefined : check.error.issues[0]?.message;
  const startBrowse = (registry: string): void => {
    setDraft(registry);
    setSelectedTag(undefined);
    setRegistryBrowse({ registry, repository: undefined });
  };
  const repoKey = browse?.repository === undefined ? undefined : `${browse.registry}/${browse.repository}`;
  const tag = selectedTag !== undefined && selectedTag.key === repoKey ? selectedTag.tag : undefined;

  return (
    <section className="view" aria-labelledby="registries-title">
      <header className="view-header">
        <h1 id="registries-title">Registries</h1>
        <form
          className="toolbar"
          onSubmit={(event) => {
            event.preventDefault();
            if (check.success) startBrowse(check.data);
          }}
        >
          <label className="visually-hidden" htmlFor="registry-input">
            Registry
          </label>
          <input
            id="registry-input"
            className={`input${invalidReason === undefined ? '' : ' is-invalid'}`}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder="127.0.0.1:5000 or registry.example.com"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={invalidReason !== undefined}
            aria-describedby={invalidReason === undefined ? undefined : 'registry-input-error'}
            list="known-registries"
          />
          <datalist id="known-registries">
            {(known.data ?? []).map((entry) => (
              <option key={entry.registry} value={entry.registry} />
            ))}
          </datalist>
          <button type="submit" className="button button-primary" disabled={!check.success}>
            Browse
          </button>
          <button
            type="button"
            className="button"
            onClick={() => openDialog({ kind: 'login', registry: check.success ? check.data : undefined })}
          >
            Log in…
          </button>
        </form>
      </header>
      <div className="view-scroll">
        {invalidReason === undefined ? null : (
          <p id="registry-input-error" className="field-error">
            {invalidReason}
          </p>
        )}
        <KnownRegistries onBrowse={startBrowse} />
        {browse === undefined ? (
          <p className="muted">Name a registry and press Browse to see its repositories, tags and manifests.</p>
        ) : (
          <div className="registries-browser">
            <Catalog key={browse.registry} registry={browse.registry} repository={browse.repository} />
            {browse.repository === undefined ? (
              <p className="muted">Pick a repository.</p>
            ) : (
              <Tags
                key={repoKey}
                registry={browse.registry}
                repository={browse.repository}
                selected={tag}
                onSelect={(t) => setSelectedTag(repoKey === undefined ? undefined : { key: repoKey, tag: t })}
              />
            )}
            {browse.repository === undefined || tag === undefined ? (
              browse.repository === undefined ? null : (
                <p className="muted">Pick a tag to see its manifest.</p>
              )
            ) : (
              <ManifestPane registry={browse.registry} repository={browse.repository} reference={tag} />
            )}
          </div>
        )}
      </div>
    </section>
  );
}
