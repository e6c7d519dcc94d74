/** Image details: key fields first, the raw inspect JSON below (searchable, copyable). */
import { useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImageDetails } from '../../../../shared/api';
import { StrataError, type ErrorShape } from '../../../../shared/errors';
import { unwrap } from '../../api/client';
import { useStrata } from '../../api/StrataContext';
import { useEngineConnected, useEngineStatus, useImages } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useUi } from '../../app/uiStore';
import { formatBytes, formatExact, shortId } from '../../lib/format';
import { imageListPlaceholder } from '../images/ImageListPlaceholder';
import { EnvAndLabels, KeyFields, RawJson } from './DetailParts';
import { formatNanoseconds } from './jsonSearch';
import './details.css';

function useImageDetails(imageId: string | undefined) {
  const strata = useStrata();
  const connected = useEngineConnected();
  return useQuery({
    queryKey: queryKeys.imageInspect(imageId ?? ''),
    queryFn: async () => unwrap(await strata.images.inspect({ reference: imageId ?? '' })),
    enabled: connected && imageId !== undefined,
  });
}

const toShape = (caught: unknown): ErrorShape =>
  caught instanceof StrataError
    ? caught.toShape()
    : { code: 'internal', message: caught instanceof Error ? caught.message : String(caught) };

const none = <span className="muted">none</span>;

function list(values: readonly string[] | null): ReactNode {
  if (values === null || values.length === 0) return none;
  return <code>{JSON.stringify(values)}</code>;
}

function text(value: string): ReactNode {
  return value === '' ? none : value;
}

function healthcheckText(check: ImageDetails['config']['healthcheck']): string {
  if (check === null || check.test.length === 0) return 'none';
  const [kind, ...rest] = check.test;
  if (kind === 'NONE') return 'disabled (HEALTHCHECK NONE)';
  const command = kind === 'CMD-SHELL' ? rest.join(' ') : kind === 'CMD' ? JSON.stringify(rest) : check.test.join(' ');
  const parts = [
    `every ${formatNanoseconds(check.intervalNs, '30s (default)')}`,
    `timeout ${formatNanoseconds(check.timeoutNs, '30s (default)')}`,
    `start period ${formatNanoseconds(check.startPeriodNs, '0s (default)')}`,
    `${check.retries > 0 ? check.retries : '3 (default)'} retries`,
  ];
  return `${command} — ${parts.join(', ')}`;
}

function RemoveImage({ details, label }: { readonly details: ImageDetails; readonly label: string }) {
  const strata = useStrata();
  const queryClient = useQueryClient();
  const { openDialog, setView } = useUi.getState();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | undefined>(undefined);
  const tags = details.repoTags.filter((t) => t !== '<none>:<none>');

  const remove = async (force: boolean): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      unwrap(await strata.images.remove(force ? { reference: details.id, force: true } : { reference: details.id }));
      setView('images');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.images() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.engineInfo() }),
      ]);
    } catch (caught) {
      setError(toShape(caught));
      setBusy(false);
    }
  };

  if (!confirming) {
    return (
      <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
        Remove image
      </button>
    );
  }
  const severalTags = error?.code === 'conflict' && tags.length > 1;
  return (
    <div className="notice remove-confirm" role="group" aria-label="Remove image">
      <p>
        Remove the image <strong>{label}</strong> ({shortId(details.id)})
        {tags.length > 1 ? ` and its ${tags.length} tags` : ''}?
      </p>
      {error === undefined ? null : (
        <div className="notice notice-error" role="alert">
          <p>{error.message}</p>
        </div>
      )}
      <div className="remove-actions">
        {severalTags ? (
          <button
            type="button"
            className="button button-danger"
            onClick={() =>
              openDialog({
                kind: 'removeMany',
                items: tags.map((tag) => ({ reference: tag, label: tag, imageId: details.id })),
              })
            }
          >
            Remove all {tags.length} tags
          </button>
        ) : error?.code === 'conflict' ? (
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove(true)}>
            Force remove
          </button>
        ) : (
          <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove(false)}>
            Remove
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={() => {
            setConfirming(false);
            setError(undefined);
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

function DetailsBody({ details, label }: { readonly details: ImageDetails; readonly label: string }) {
  const { config } = details;
  const created = Date.parse(details.created);
  const platform = [details.os, details.architecture, details.variant].filter((p) => p !== undefined && p !== '');
  const fields: readonly (readonly [string, ReactNode])[] = [
    ['ID', <code key="id">{details.id}</code>],
    [
      'Digests',
      details.repoDigests.length === 0 ? (
        none
      ) : (
        <ul className="plain-list">
          {details.repoDigests.map((d) => (
            <li key={d}>
              <code>{d}</code>
            </li>
          ))}
        </ul>
      ),
    ],
    ['Tags', details.repoTags.length === 0 ? none : details.repoTags.join(', ')],
    ['Created', Number.isNaN(created) ? text(details.created) : formatExact(created)],
    ['Author', text(details.author)],
    ['Platform', platform.length === 0 ? none : platform.join('/')],
    ['Size', formatBytes(details.size)],
    ['Layers', String(details.layers.length)],
    ['Entrypoint', list(config.entrypoint)],
    ['Cmd', list(config.cmd)],
    ['Working dir', text(config.workingDir)],
    ['User', text(config.user)],
    ['Exposed ports', config.exposedPorts.length === 0 ? none : config.exposedPorts.join(', ')],
    ['Volumes', config.volumes.length === 0 ? none : config.volumes.join(', ')],
    ['Healthcheck', healthcheckText(config.healthcheck)],
    ...(config.stopSignal === '' ? [] : [['Stop signal', config.stopSignal] as const]),
    ...(config.shell === null ? [] : [['Shell', list(config.shell)] as const]),
    ...(config.onBuild.length === 0 ? [] : [['On build', list(config.onBuild)] as const]),
    ...(details.comment === '' ? [] : [['Comment', details.comment] as const]),
  ];
  return (
    <div className="details-body">
      <section className="details-section" aria-labelledby="key-fields-title">
        <div className="raw-head">
          <h2 id="key-fields-title">{label}</h2>
          <RemoveImage details={details} label={label} />
        </div>
        <KeyFields fields={fields} />
      </section>
      <EnvAndLabels idPrefix="" env={config.env} labels={config.labels} />
      <RawJson raw={details.raw} />
    </div>
  );
}

export function ImageDetailsView() {
  const status = useEngineStatus();
  const images = useImages();
  const target = useUi((s) => s.detailsTarget);
  const { openHistory } = useUi.getState();
  const stillThere = target !== undefined && (images.data ?? []).some((image) => image.id === target.imageId);
  const details = useImageDetails(stillThere ? target.imageId : undefined);

  const placeholder = imageListPlaceholder(status, images);
  let body;
  if (placeholder !== undefined) {
    body = placeholder;
  } else if (target === undefined) {
    body = (
      <div className="empty-state">
        <h2>Choose an image</h2>
        <p>Open an image's details from the Images view (the Details button of its row).</p>
      </div>
    );
  } else if (!stillThere) {
    body = (
      <div className="empty-state" role="alert">
        <h2>{target.label} is gone</h2>
        <p>The image is no longer on the engine. Choose another one in the Images view.</p>
      </div>
    );
  } else if (details.error !== null && details.data === undefined) {
    body = (
      <div className="empty-state" role="alert">
        <h2>Could not read the details of {target.label}</h2>
        <p>{details.error.message}</p>
      </div>
    );
  } else if (details.data === undefined) {
    body = <p className="notice">Loading the details of {target.label}…</p>;
  } else {
    body = <DetailsBody details={details.data} label={target.label} />;
  }

  return (
    <section className="view" aria-labelledby="details-title">
      <header className="view-header">
        <h1 id="details-title">Details</h1>
        {target === undefined ? null : (
          <span className="muted count cell-mono" title={target.imageId}>
            {shortId(target.imageId)}
          </span>
        )}
        <div className="toolbar">
          {target === undefined || !stillThere ? null : (
            <button type="button" className="button" onClick={() => openHistory(target)}>
              History of {target.label}
            </button>
          )}
        </div>
      </header>
      <div className="view-body details-scroll">{body}</div>
    </section>
  );
}
