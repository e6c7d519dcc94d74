/** The registry browser's third pane: a tag's manifest, its layers (an image) or its platforms (an index). */
import { useQuery } from '@tanstack/react-query';
import type { Manifest } from '../../../../shared/api';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { queryKeys } from '../../app/queryKeys';
import { formatBytes, shortId } from '../../lib/format';
import { RegistryErrorNotice } from './RegistryErrorNotice';

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

export function ManifestPane({
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
      {manifest.error === null ? null : <RegistryErrorNotice error={manifest.error} registry={registry} />}
      {manifest.data === undefined ? null : <ManifestDetails manifest={manifest.data} />}
    </section>
  );
}
