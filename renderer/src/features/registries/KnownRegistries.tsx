/** The Known registries table: each registry with credentials, where they come from, and Browse / Log in / Log out. */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { RegistryEntry } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';
import { RegistryErrorNotice } from './RegistryErrorNotice';

const SOURCE_LABEL: Readonly<Record<RegistryEntry['source'], string>> = {
  config: 'docker config',
  helper: 'credential helper',
  stored: 'Strata (encrypted)',
  session: 'Strata (this session)',
  none: '—',
};

export function KnownRegistries({ onBrowse }: { readonly onBrowse: (registry: string) => void }) {
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
      {list.error === null ? null : <RegistryErrorNotice error={list.error} registry="" />}
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
