/** The registry browser's second pane: a repository's tags, each with a one-click Pull. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';
import { RegistryErrorNotice } from './RegistryErrorNotice';

export function RegistryTags({
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
      {tags.error === null ? null : <RegistryErrorNotice error={tags.error} registry={registry} />}
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
