/**
 * Registries: credentials (KnownRegistries), and browsing a registry v2 (RegistryCatalog → RegistryTags →
 * ManifestPane) with a one-click pull. This file holds the view and its registry input.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { registryHostSchema } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';
import { KnownRegistries } from './KnownRegistries';
import { ManifestPane } from './ManifestPane';
import { RegistryCatalog } from './RegistryCatalog';
import { RegistryTags } from './RegistryTags';
import './registries.css';

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
            <RegistryCatalog key={browse.registry} registry={browse.registry} repository={browse.repository} />
            {browse.repository === undefined ? (
              <p className="muted">Pick a repository.</p>
            ) : (
              <RegistryTags
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
