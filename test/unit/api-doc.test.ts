import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api';
import { spliceMethods } from '../../scripts/api-doc';

describe('docs/API.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/API.md'), 'utf8');

  it('is generated from the current contract (run npm run docs:api after changing shared/api/)', () => {
    expect(spliceMethods(doc)).toBe(doc);
  });

  it('lists every method', () => {
    for (const method of METHOD_NAMES) expect(doc).toContain(`### \`${method}\``);
  });
});
