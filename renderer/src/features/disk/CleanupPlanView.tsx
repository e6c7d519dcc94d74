/** What a cleanup would remove (the preview), and what the engine reported it reclaimed (the result). */
import type { CleanupPlan, CleanupResult } from '../../../../shared/api';
import { dockerHumanSize } from '../../../../shared/disk';
import { shortId } from '../../lib/format';
import { PlanDifferences } from '../prune/PlanDifferences';
import type { ParsedCleanupArgs } from './cleanupForm';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function Bytes({ value }: { readonly value: number | null }) {
  if (value === null) return <span className="muted">unknown</span>;
  return <span title={`${value} bytes`}>{dockerHumanSize(value)}</span>;
}

export function PlanView({ plan, args }: { readonly plan: CleanupPlan; readonly args: ParsedCleanupArgs }) {
  const images = plan.images;
  const imageCount = images?.remove.length ?? 0;
  const count = plan.containers.length + plan.volumes.length + imageCount + plan.buildCache.length;
  return (
    <>
      <p className="prune-summary">
        <strong>
          {count === 0
            ? 'Nothing to clean up with these choices.'
            : `${plural(count, 'item')} go; ${dockerHumanSize(plan.bytes.total)} freed`}
        </strong>
      </p>
      {plan.unknownSizes.length === 0 ? null : (
        <p className="notice notice-warning">
          Sizes not known (not counted in the totals): {plan.unknownSizes.join(', ')}
        </p>
      )}
      {args.containers ? (
        <section aria-label="Stopped containers to remove">
          <h4>
            Stopped containers: {plan.containers.length} · {dockerHumanSize(plan.bytes.containers)}
          </h4>
          {plan.containers.length === 0 ? (
            <p className="muted">No stopped container matches.</p>
          ) : (
            <table className="disk-table" aria-label="Containers that go">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Image</th>
                  <th>Status</th>
                  <th className="cell-numeric">Size</th>
                </tr>
              </thead>
              <tbody>
                {plan.containers.map((c) => (
                  <tr key={c.id}>
                    <td>{c.name}</td>
                    <td className="cell-mono disk-cell-wrap">{c.image}</td>
                    <td>{c.status}</td>
                    <td className="cell-numeric">
                      <Bytes value={c.size} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      {args.volumes ? (
        <section aria-label="Unused volumes to remove">
          <h4>
            Unused volumes: {plan.volumes.length} · {dockerHumanSize(plan.bytes.volumes)}
          </h4>
          {plan.volumes.length === 0 ? (
            <p className="muted">No unused volume matches.</p>
          ) : (
            <table className="disk-table" aria-label="Volumes that go">
              <thead>
                <tr>
                  <th>Name</th>
                  <th className="cell-numeric">Size</th>
                </tr>
              </thead>
              <tbody>
                {plan.volumes.map((v) => (
                  <tr key={v.name}>
                    <td className="cell-mono disk-cell-wrap">{v.name}</td>
                    <td className="cell-numeric">
                      <Bytes value={v.size} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
      {images === null ? null : (
        <section aria-label="Images to remove">
          <h4>
            {args.images === 'all' ? 'Unused images' : 'Dangling images'}: {imageCount} ·{' '}
            {dockerHumanSize(plan.bytes.images)}
          </h4>
          {imageCount === 0 ? (
            <p className="muted">No image matches.</p>
          ) : (
            <table className="disk-table" aria-label="Images that go">
              <thead>
                <tr>
                  <th>Image</th>
                  <th>Tags removed</th>
                  <th className="cell-numeric">Size</th>
                  <th>What happens</th>
                </tr>
              </thead>
              <tbody>
                {images.remove.map((item) => (
                  <tr key={item.imageId}>
                    <td className="cell-mono">{shortId(item.imageId)}</td>
                    <td className="disk-cell-wrap">
                      {item.references.length === 0 ? <span className="muted">none</span> : item.references.join(', ')}
                    </td>
                    <td className="cell-numeric">
                      <Bytes value={item.size} />
                    </td>
                    <td>{item.deleted ? 'Deleted' : 'Untagged; the image stays'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {args.buildCache ? (
        <section aria-label="Build cache to remove">
          <h4>
            Build cache: {plan.buildCache.length} · {dockerHumanSize(plan.bytes.buildCache)}
          </h4>
          {plan.buildCache.length === 0 ? (
            <p className="muted">No build cache record matches.</p>
          ) : (
            <table className="disk-table" aria-label="Build cache that goes">
              <thead>
                <tr>
                  <th>ID</th>
                  <th>Type</th>
                  <th>Description</th>
                  <th className="cell-numeric">Size</th>
                </tr>
              </thead>
              <tbody>
                {plan.buildCache.map((r) => (
                  <tr key={r.id}>
                    <td className="cell-mono">{shortId(r.id)}</td>
                    <td>{r.type}</td>
                    <td className="disk-cell-wrap">{r.description}</td>
                    <td className="cell-numeric">
                      <Bytes value={r.size} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </>
  );
}

export function ResultView({ result }: { readonly result: CleanupResult }) {
  const parts: { readonly label: string; readonly text: string }[] = [];
  if (result.containers !== null) {
    parts.push({
      label: 'Stopped containers',
      text: `${plural(result.containers.deleted.length, 'container')} deleted, ${dockerHumanSize(result.containers.spaceReclaimed)} reclaimed`,
    });
  }
  if (result.volumes !== null) {
    parts.push({
      label: 'Unused volumes',
      text: `${plural(result.volumes.deleted.length, 'volume')} deleted, ${dockerHumanSize(result.volumes.spaceReclaimed)} reclaimed`,
    });
  }
  if (result.images !== null) {
    parts.push({
      label: 'Images',
      text: `${plural(result.images.deleted.length, 'record')} deleted (images and layers), ${plural(result.images.untagged.length, 'reference')} untagged, ${dockerHumanSize(result.images.spaceReclaimed)} reclaimed`,
    });
  }
  if (result.buildCache !== null) {
    parts.push({
      label: 'Build cache',
      text: `${plural(result.buildCache.deleted.length, 'record')} deleted, ${dockerHumanSize(result.buildCache.spaceReclaimed)} reclaimed`,
    });
  }
  return (
    <>
      <p className="notice notice-ok" role="status">
        The engine reclaimed {dockerHumanSize(result.spaceReclaimed)} in all (the preview said{' '}
        {dockerHumanSize(result.plan.bytes.total)}).
      </p>
      <dl className="disk-facts" aria-label="Reclaimed per part">
        {parts.map((part) => (
          <div key={part.label} style={{ display: 'contents' }}>
            <dt>{part.label}</dt>
            <dd>{part.text}</dd>
          </div>
        ))}
      </dl>
      <PlanDifferences differences={result.differences} />
    </>
  );
}
