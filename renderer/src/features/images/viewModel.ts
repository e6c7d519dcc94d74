/** Pure functions from `images.list` to the rows the Images table shows. */
import type { ImageSummary } from '../../../../shared/api';
import { parseReference } from '../../../../shared/reference';
import { shortId } from '../../lib/format';
import type { SortColumn, SortState } from '../../app/imageSort';

export const NONE = '<none>';

export interface ImageRow {
  /** Unique per row: image id + repo:tag. */
  readonly key: string;
  readonly imageId: string;
  readonly shortId: string;
  readonly repository: string;
  readonly tag: string;
  /** `repo:tag`, or `<none>:<none>` for a dangling image. */
  readonly repoTag: string;
  readonly dangling: boolean;
  /** What images.remove is called with: the repo:tag, or the image id when there is no tag. */
  readonly removeReference: string;
  /** How many repo:tags point at this image (1 when it has one, 0 when dangling). */
  readonly tagCount: number;
  /** Unix seconds. */
  readonly created: number;
  readonly size: number;
  /** Containers using the image, or -1 when the engine did not count them. */
  readonly containers: number;
}

function splitRepoTag(repoTag: string): readonly [string, string] {
  // The tag follows the last ':' that is not part of a registry host:port.
  const colon = repoTag.lastIndexOf(':');
  if (colon === -1 || repoTag.slice(colon + 1).includes('/')) return [repoTag, NONE];
  return [repoTag.slice(0, colon), repoTag.slice(colon + 1)];
}

function repositoryOfDigest(repoDigest: string): string {
  const at = repoDigest.indexOf('@');
  return at === -1 ? repoDigest : repoDigest.slice(0, at);
}

/** One row per repo:tag; an image without tags is one `<none>:<none>` row (or `repo:<none>` if pulled by digest). */
export function toImageRows(images: readonly ImageSummary[]): readonly ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of images) {
    const tags = image.repoTags.filter((t) => t !== '<none>:<none>' && t !== '<none>@<none>');
    const base = {
      imageId: image.id,
      shortId: shortId(image.id),
      created: image.created,
      size: image.size,
      containers: image.containers,
    };
    if (tags.length === 0) {
      const digestRepo = image.repoDigests.map(repositoryOfDigest).find((r) => r !== '' && r !== NONE);
      const repository = digestRepo ?? NONE;
      rows.push({
        ...base,
        key: `${image.id}|`,
        repository,
        tag: NONE,
        repoTag: `${repository}:${NONE}`,
        dangling: true,
        removeReference: image.id,
        tagCount: 0,
      });
      continue;
    }
    for (const repoTag of tags) {
      const [repository, tag] = splitRepoTag(repoTag);
      rows.push({
        ...base,
        key: `${image.id}|${repoTag}`,
        repository,
        tag,
        repoTag,
        dangling: false,
        removeReference: repoTag,
        tagCount: tags.length,
      });
    }
  }
  return rows;
}

export interface RowFilter {
  readonly text: string;
  readonly danglingOnly: boolean;
}

/** Keeps rows whose repository, tag or image id contains the text (case-insensitive). */
export function filterRows(rows: readonly ImageRow[], filter: RowFilter): readonly ImageRow[] {
  const needle = filter.text.trim().toLowerCase();
  const hexNeedle = needle.startsWith('sha256:') ? needle.slice('sha256:'.length) : needle;
  return rows.filter((row) => {
    if (filter.danglingOnly && !row.dangling) return false;
    if (needle === '') return true;
    return (
      row.repository.toLowerCase().includes(needle) ||
      row.tag.toLowerCase().includes(needle) ||
      row.repoTag.toLowerCase().includes(needle) ||
      (hexNeedle !== '' && row.imageId.toLowerCase().includes(hexNeedle))
    );
  });
}

function compareText(a: string, b: string): number {
  // <none> sorts after every real name, whichever the direction of the text itself.
  if (a === NONE && b !== NONE) return 1;
  if (b === NONE && a !== NONE) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBy(column: SortColumn, a: ImageRow, b: ImageRow): number {
  switch (column) {
    case 'repository':
      return compareText(a.repository, b.repository);
    case 'tag':
      return compareText(a.tag, b.tag);
    case 'id':
      return compareText(a.imageId, b.imageId);
    case 'created':
      return a.created - b.created;
    case 'size':
      return a.size - b.size;
    case 'containers':
      return a.containers - b.containers;
  }
}

/** A new array sorted by the column; ties fall back to repo:tag then image id so the order is stable. */
export function sortRows(rows: readonly ImageRow[], sort: SortState): readonly ImageRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort(
    (a, b) =>
      sign * compareBy(sort.column, a, b) || compareText(a.repoTag, b.repoTag) || compareText(a.imageId, b.imageId),
  );
}

/**
 * The repo:tag a pull of `reference` produces in `docker images`: Docker Hub names lose their
 * `docker.io/` and `library/` prefixes, and a missing tag means `latest`.
 */
export function expectedRepoTag(reference: string): string | undefined {
  const parsed = parseReference(reference);
  if (!parsed.ok || parsed.value.digest !== undefined) return undefined;
  const { domain, path, tag } = parsed.value;
  let name: string;
  if (domain === undefined || domain === 'docker.io' || domain === 'index.docker.io') {
    name = path.startsWith('library/') ? path.slice('library/'.length) : path;
  } else {
    name = `${domain}/${path}`;
  }
  return `${name}:${tag ?? 'latest'}`;
}
