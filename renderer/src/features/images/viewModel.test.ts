import { describe, expect, it } from 'vitest';
import { hex, image } from '../../testing/fakeBridge';
import { nextSort, type SortColumn } from '../../app/imageSort';
import { expectedRepoTag, filterRows, sortRows, toImageRows, type ImageRow } from './viewModel';

const app = image({
  id: hex('a'),
  repoTags: ['lab/app:1.0', 'lab/app:latest', 'lab/app:stable'],
  created: 300,
  size: 7_000_000,
  containers: 1,
});
const base = image({ id: hex('b'), repoTags: ['lab/base:latest'], created: 100, size: 5_000_000, containers: 0 });
const dangling = image({ id: hex('c'), repoTags: [], created: 200, size: 1_000, containers: 0 });
const danglingOld = image({
  id: hex('d'),
  repoTags: ['<none>:<none>'],
  repoDigests: ['<none>@<none>'],
  created: 50,
  size: 9,
});
const registry = image({
  id: hex('e'),
  repoTags: ['127.0.0.1:5000/lab/remote:1.0'],
  created: 400,
  size: 20,
  containers: 3,
});
const byDigest = image({
  id: hex('f'),
  repoDigests: [`127.0.0.1:5000/lab/big@${hex('9')}`],
  created: 10,
  size: 8_000_000,
});

const rows = toImageRows([app, base, dangling, danglingOld, registry, byDigest]);
const labels = (list: readonly ImageRow[]): string[] => list.map((r) => r.repoTag);

describe('toImageRows', () => {
  it('gives each repo:tag of a multi-tag image its own row, all pointing at the same image', () => {
    const appRows = rows.filter((r) => r.imageId === app.id);
    expect(appRows.map((r) => [r.repository, r.tag, r.tagCount, r.removeReference])).toEqual([
      ['lab/app', '1.0', 3, 'lab/app:1.0'],
      ['lab/app', 'latest', 3, 'lab/app:latest'],
      ['lab/app', 'stable', 3, 'lab/app:stable'],
    ]);
    expect(new Set(appRows.map((r) => r.key)).size).toBe(3);
    expect(appRows.every((r) => r.shortId === 'aaaaaaaaaaaa' && r.containers === 1)).toBe(true);
  });

  it('shows an image without tags as <none>:<none>, removed by its id', () => {
    for (const img of [dangling, danglingOld]) {
      const [row, ...more] = rows.filter((r) => r.imageId === img.id);
      expect(more).toHaveLength(0);
      expect(row).toMatchObject({ repository: '<none>', tag: '<none>', repoTag: '<none>:<none>', dangling: true });
      expect(row?.removeReference).toBe(img.id);
    }
  });

  it('keeps the registry port out of the tag', () => {
    expect(rows.find((r) => r.imageId === registry.id)).toMatchObject({
      repository: '127.0.0.1:5000/lab/remote',
      tag: '1.0',
    });
  });

  it('names the repository of an untagged image pulled by digest, as docker images does', () => {
    expect(rows.find((r) => r.imageId === byDigest.id)).toMatchObject({
      repository: '127.0.0.1:5000/lab/big',
      tag: '<none>',
      dangling: true,
    });
  });
});

describe('filterRows', () => {
  it('matches repository, tag and image id, case-insensitively', () => {
    expect(labels(filterRows(rows, { text: 'BASE', danglingOnly: false }))).toEqual(['lab/base:latest']);
    expect(labels(filterRows(rows, { text: 'stable', danglingOnly: false }))).toEqual(['lab/app:stable']);
    expect(labels(filterRows(rows, { text: 'eeeeee', danglingOnly: false }))).toEqual([
      '127.0.0.1:5000/lab/remote:1.0',
    ]);
    expect(labels(filterRows(rows, { text: `sha256:${'b'.repeat(8)}`, danglingOnly: false }))).toEqual([
      'lab/base:latest',
    ]);
    expect(filterRows(rows, { text: '  ', danglingOnly: false })).toHaveLength(rows.length);
    expect(filterRows(rows, { text: 'nothing-like-this', danglingOnly: false })).toHaveLength(0);
  });

  it('keeps only dangling images when asked, combined with the text', () => {
    const only = filterRows(rows, { text: '', danglingOnly: true });
    expect(only.map((r) => r.imageId).sort()).toEqual([dangling.id, danglingOld.id, byDigest.id].sort());
    expect(filterRows(rows, { text: 'cccc', danglingOnly: true }).map((r) => r.imageId)).toEqual([dangling.id]);
  });
});

describe('sortRows', () => {
  const firstAndLast = (column: SortColumn, direction: 'asc' | 'desc'): [string, string] => {
    const sorted = sortRows(rows, { column, direction });
    return [sorted[0]!.repoTag, sorted[sorted.length - 1]!.repoTag];
  };

  it('sorts by repository, with <none> last', () => {
    const sorted = labels(sortRows(rows, { column: 'repository', direction: 'asc' }));
    expect(sorted.slice(0, 5)).toEqual([
      '127.0.0.1:5000/lab/big:<none>',
      '127.0.0.1:5000/lab/remote:1.0',
      'lab/app:1.0',
      'lab/app:latest',
      'lab/app:stable',
    ]);
    expect(sorted.slice(-2)).toEqual(['<none>:<none>', '<none>:<none>']);
    expect(labels(sortRows(rows, { column: 'repository', direction: 'desc' }))[0]).toBe('<none>:<none>');
  });

  it('sorts by tag', () => {
    expect(labels(sortRows(rows, { column: 'tag', direction: 'asc' })).slice(0, 3)).toEqual([
      '127.0.0.1:5000/lab/remote:1.0',
      'lab/app:1.0',
      'lab/app:latest',
    ]);
  });

  it('sorts by image id', () => {
    expect(sortRows(rows, { column: 'id', direction: 'asc' })[0]?.imageId).toBe(app.id);
    expect(sortRows(rows, { column: 'id', direction: 'desc' })[0]?.imageId).toBe(byDigest.id);
  });

  it('sorts by created, size and containers', () => {
    expect(firstAndLast('created', 'desc')).toEqual(['127.0.0.1:5000/lab/remote:1.0', '127.0.0.1:5000/lab/big:<none>']);
    expect(firstAndLast('created', 'asc')).toEqual(['127.0.0.1:5000/lab/big:<none>', '127.0.0.1:5000/lab/remote:1.0']);
    expect(firstAndLast('size', 'desc')).toEqual(['127.0.0.1:5000/lab/big:<none>', '<none>:<none>']);
    expect(sortRows(rows, { column: 'size', direction: 'asc' })[0]?.imageId).toBe(danglingOld.id);
    expect(firstAndLast('containers', 'desc')[0]).toBe('127.0.0.1:5000/lab/remote:1.0');
  });

  it('does not change its input', () => {
    const before = labels(rows);
    sortRows(rows, { column: 'size', direction: 'asc' });
    expect(labels(rows)).toEqual(before);
  });

  it('flips on the same column and starts text columns A-Z, numbers biggest first', () => {
    expect(nextSort({ column: 'size', direction: 'desc' }, 'size')).toEqual({ column: 'size', direction: 'asc' });
    expect(nextSort({ column: 'size', direction: 'desc' }, 'repository')).toEqual({
      column: 'repository',
      direction: 'asc',
    });
    expect(nextSort({ column: 'tag', direction: 'asc' }, 'created')).toEqual({ column: 'created', direction: 'desc' });
  });
});

describe('expectedRepoTag', () => {
  it('is what docker images lists after a pull', () => {
    expect(expectedRepoTag('alpine')).toBe('alpine:latest');
    expect(expectedRepoTag('docker.io/library/alpine:3.19')).toBe('alpine:3.19');
    expect(expectedRepoTag('127.0.0.1:5000/lab/remote:1.0')).toBe('127.0.0.1:5000/lab/remote:1.0');
    expect(expectedRepoTag(`alpine@${hex('1')}`)).toBeUndefined();
    expect(expectedRepoTag('Not Valid')).toBeUndefined();
  });
});
