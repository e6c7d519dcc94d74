/** containers.list and images.commit against the lab engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../shared/api';
import { labDocker, labInfo, type LabInfo } from '../lab/context';
import { serviceOn, type ServiceUnderTest } from './engine-helpers';

let lab: LabInfo;
let sut: ServiceUnderTest;
const REF = `t-commit/app:${process.pid}-${Date.now().toString(36)}`;

beforeAll(() => {
  lab = labInfo();
  sut = serviceOn(lab.dockerHost);
});
afterAll(async () => {
  await sut.close();
  await labDocker(lab, ['image', 'rm', '-f', REF]).catch(() => undefined);
});

describe('containers.list', () => {
  it('lists the lab containers, stopped ones only with all', async () => {
    const all = await sut.service.handlers['containers.list']({ all: true, size: false });
    const stopped = all.find((c) => c.name === lab.containers.stopped);
    expect(stopped).toMatchObject({ image: lab.images.app, engineId: 'default' });
    expect(stopped?.imageId).toMatch(/^sha256:/);
    expect(all.find((c) => c.name === lab.containers.running)?.state).toBe('running');
    const running = await sut.service.handlers['containers.list']({ all: false, size: false });
    expect(running.map((c) => c.name)).not.toContain(lab.containers.stopped);
  });
});

describe('images.commit', () => {
  it('commits lab-stopped with a CMD and a LABEL change, author and message', async () => {
    const args = api['images.commit'].args.parse({
      container: lab.containers.stopped,
      reference: REF,
      author: 'Strata Test <t@example.com>',
      message: 'committed by the commit test',
      changes: ['CMD ["echo", "from-commit"]', 'LABEL strata.commit=yes'],
    });
    const result = await sut.service.handlers['images.commit'](args);
    expect(result.reference).toBe(REF);
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const inspect = JSON.parse(
      await labDocker(lab, [
        'image',
        'inspect',
        '--format',
        '{{json .Id}}|{{json .Config.Cmd}}|{{json .Config.Labels}}|{{json .Author}}|{{json .Comment}}',
        REF,
      ]).then((out) => `[${out.trim().split('|').join(',')}]`),
    ) as [string, string[], Record<string, string>, string, string];
    expect(inspect[0]).toBe(result.imageId);
    expect(inspect[1]).toEqual(['echo', 'from-commit']);
    expect(inspect[2]['strata.commit']).toBe('yes');
    expect(inspect[3]).toBe('Strata Test <t@example.com>');
    expect(inspect[4]).toBe('committed by the commit test');
  });

  it('an unknown container is not_found, naming it', async () => {
    const args = api['images.commit'].args.parse({ container: 'no-such-container-xyz' });
    await expect(sut.service.handlers['images.commit'](args)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('There is no container no-such-container-xyz') as string,
    });
  });
});
