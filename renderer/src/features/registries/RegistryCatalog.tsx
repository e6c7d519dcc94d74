/** The registry browser's first pane: the registry's catalog of repositories, read a page of 100 at a time. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';
import { RegistryErrorNotice } from './RegistryErrorNotice';

export function RegistryCatalog({
  registry,
  repository,
}: {
  readonly registry: string;
  readonly repository: string | undefined;
}) {
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
      {catalog.error === null ? null : <RegistryErrorNotice error={catalog.error} registry={registry} />}
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
