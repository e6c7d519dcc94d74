/**
 * images.search on the lab engine, which has no internet: the engine's own failure becomes exactly
 * one clear message, and the engine keeps serving everything else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_UNREACHABLE_MESSAGE } from '../../electron/engine/core/operation-errors';
import { labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});
afterAll(async () => {
  await sut.close();
});

describe('images.search without internet', () => {
  it('fails with exactly the clear message, and the image list still works', async () => {
    await expect(sut.service.handlers['images.search']({ term: 'alpine', limit: 5 })).rejects.toMatchObject({
      code: 'engine_error',
      message:
        'Docker Hub search needs the engine to reach index.docker.io, and it could not (no internet connection or DNS). Images already on this engine are unaffected.',
    });
    expect(HUB_UNREACHABLE_MESSAGE).toContain('index.docker.io');

    const images = await sut.service.handlers['images.list']({});
    expect(images.some((image) => image.repoTags.includes(lab.images.base))).toBe(true);
    expect((await sut.service.handlers['engine.ping']({})).state).toBe('connected');
  });
});
