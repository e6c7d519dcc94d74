import { describe, expect, it } from 'vitest';
import {
  findBase,
  instructionOf,
  madeLayerGuess,
  mapHistoryToLayers,
  sharedWith,
  type HistoryStepInput,
  type ImageChain,
} from './history';
import { displayNameOf } from './names';

const step = (createdBy: string, size = 0, comment = ''): HistoryStepInput => ({ createdBy, comment, size });

describe('instructionOf', () => {
  it.each([
    ['/bin/sh -c #(nop)  CMD ["sh"]', 'CMD ["sh"]'],
    ['/bin/sh -c #(nop) ADD file:abc in / ', 'ADD file:abc in /'],
    ['/bin/sh -c #(nop)  LABEL org.opencontainers.image.title=Lab app', 'LABEL org.opencontainers.image.title=Lab app'],
    ['/bin/sh -c #(nop) WORKDIR /app', 'WORKDIR /app'],
    ['/bin/sh -c #(nop)  ENV LAB_DEBUG=1', 'ENV LAB_DEBUG=1'],
    ['/bin/sh -c echo hi', 'RUN echo hi'],
    [
      "/bin/sh -c mkdir -p /app && echo 'lab app 1.0' > /app/version.txt",
      "RUN mkdir -p /app && echo 'lab app 1.0' > /app/version.txt",
    ],
    ['|2 A=1 B=2 /bin/sh -c make', 'RUN make'],
    ['|1 MSG=hello world /bin/sh -c echo $MSG', 'RUN echo $MSG'],
    ['/bin/bash -o pipefail -c apt-get update', 'RUN apt-get update'],
    ['cmd /S /C echo hi', 'RUN echo hi'],
    ['RUN /bin/sh -c apk add x # buildkit', 'RUN apk add x'],
    ['RUN |1 VERSION=2 /bin/sh -c make install # buildkit', 'RUN make install'],
    ['CMD ["sh"]', 'CMD ["sh"]'],
    ['COPY . /app # buildkit', 'COPY . /app'],
    ['ADD alpine-minirootfs.tar.gz / # buildkit', 'ADD alpine-minirootfs.tar.gz /'],
    ['ENV A=1', 'ENV A=1'],
    ['WORKDIR /app', 'WORKDIR /app'],
    ['', ''],
    ['   ', ''],
  ])('%j -> %j', (createdBy, expected) => {
    expect(instructionOf(createdBy)).toBe(expected);
  });

  it('keeps multi-line commands intact (the view collapses them)', () => {
    expect(instructionOf('/bin/sh -c set -e;\n  make\n')).toBe('RUN set -e;\n  make');
  });

  it('answers empty for text that is not a build step (a docker commit)', () => {
    expect(instructionOf('sleep 100')).toBe('');
  });
});

describe('madeLayerGuess', () => {
  it('says no for metadata instructions, classic and BuildKit alike', () => {
    for (const text of [
      '/bin/sh -c #(nop)  CMD ["sh"]',
      '/bin/sh -c #(nop)  ENV A=1',
      '/bin/sh -c #(nop)  LABEL a=b',
      '/bin/sh -c #(nop)  EXPOSE 80/tcp',
      '/bin/sh -c #(nop)  ENTRYPOINT ["/e"]',
      '/bin/sh -c #(nop)  USER app',
      '/bin/sh -c #(nop)  VOLUME [/data]',
      '/bin/sh -c #(nop)  STOPSIGNAL SIGTERM',
      '/bin/sh -c #(nop)  HEALTHCHECK &{["CMD" "true"]}',
      '/bin/sh -c #(nop)  SHELL [/bin/bash -c]',
      '/bin/sh -c #(nop)  ARG X',
      '/bin/sh -c #(nop)  ONBUILD RUN x',
      '/bin/sh -c #(nop)  MAINTAINER me',
      'ENV A=1',
      'CMD ["sh"]',
      'LABEL a=b',
    ]) {
      expect(madeLayerGuess(step(text)), text).toBe(false);
    }
  });

  it('says yes for RUN, COPY and ADD, even when they wrote 0 bytes', () => {
    expect(madeLayerGuess(step('/bin/sh -c true'))).toBe(true);
    expect(madeLayerGuess(step('/bin/sh -c #(nop) COPY file:abc in /app'))).toBe(true);
    expect(madeLayerGuess(step('/bin/sh -c #(nop) ADD file:abc in / ', 5_000_000))).toBe(true);
    expect(madeLayerGuess(step('RUN /bin/sh -c apk add x # buildkit'))).toBe(true);
    expect(madeLayerGuess(step('COPY . /app # buildkit'))).toBe(true);
  });

  it('says maybe for WORKDIR, unless the engine reports bytes for it', () => {
    expect(madeLayerGuess(step('WORKDIR /app'))).toBe('maybe');
    expect(madeLayerGuess(step('/bin/sh -c #(nop) WORKDIR /app'))).toBe('maybe');
    expect(madeLayerGuess(step('WORKDIR /app', 96))).toBe(true);
  });

  it("says yes for an imported image's single step", () => {
    expect(madeLayerGuess(step('', 0, 'Imported from -'))).toBe(true);
    expect(madeLayerGuess(step('', 4_400_000, 'strata lab busybox rootfs'))).toBe(true);
  });

  it('says maybe for what it cannot tell', () => {
    expect(madeLayerGuess(step('sleep 100'))).toBe('maybe');
    expect(madeLayerGuess(step(''))).toBe('maybe');
  });
});

describe('mapHistoryToLayers', () => {
  it('labels every layer when the layer-making steps and the layers agree (classic build on an import)', () => {
    const steps = [
      step('', 4_400_000, 'Imported from -'),
      step('/bin/sh -c #(nop)  LABEL a=b'),
      step('/bin/sh -c mkdir -p /app', 40),
      step('/bin/sh -c #(nop) WORKDIR /app'),
      step('/bin/sh -c #(nop)  CMD ["cat"]'),
    ];
    const mapping = mapHistoryToLayers(steps, 2);
    expect(mapping.kind).toBe('exact');
    expect(mapping.steps).toEqual([
      { madeLayer: true, layerIndex: 0 },
      { madeLayer: false, layerIndex: null },
      { madeLayer: true, layerIndex: 1 },
      { madeLayer: false, layerIndex: null },
      { madeLayer: false, layerIndex: null },
    ]);
    expect(mapping.layerSteps).toEqual([0, 2]);
    expect(mapping.note).toMatch(/^Each layer is labelled with the step that made it/);
  });

  it('counts a WORKDIR in when that is the only way the counts agree', () => {
    const steps = [
      step('ADD rootfs.tar / # buildkit', 100),
      step('WORKDIR /srv'),
      step('RUN /bin/sh -c make # buildkit', 10),
    ];
    const mapping = mapHistoryToLayers(steps, 3);
    expect(mapping.kind).toBe('exact');
    expect(mapping.layerSteps).toEqual([0, 1, 2]);
    expect(mapping.steps[1]).toEqual({ madeLayer: true, layerIndex: 1 });
    expect(mapping.note).toMatch(/WORKDIR/);
  });

  it('leaves layers unlabelled when more than one assignment of WORKDIR steps fits', () => {
    const steps = [step('ADD rootfs.tar / # buildkit', 100), step('WORKDIR /a'), step('WORKDIR /b')];
    const mapping = mapHistoryToLayers(steps, 2);
    expect(mapping.kind).toBe('unlabelled');
    expect(mapping.steps.every((s) => s.madeLayer === null && s.layerIndex === null)).toBe(true);
    expect(mapping.layerSteps).toEqual([null, null]);
    expect(mapping.note).toMatch(/unlabelled rather than guessed/);
  });

  it('leaves layers unlabelled and says so when the counts differ (a RUN that made no layer)', () => {
    const steps = [
      ...Array.from({ length: 12 }, (_, i) => step(`RUN /bin/sh -c step${i} # buildkit`)),
      step('CMD ["sh"]'),
    ];
    const mapping = mapHistoryToLayers(steps, 9);
    expect(mapping.kind).toBe('unlabelled');
    expect(mapping.note).toBe(
      '12 steps look like they made layers but the image has 9 layers, so layers are shown unlabelled rather than guessed',
    );
    expect(mapping.steps).toHaveLength(13);
    expect(mapping.layerSteps).toHaveLength(9);
    expect(mapping.steps.every((s) => s.madeLayer === null)).toBe(true);
  });

  it('maps an imported image with one layer and one step', () => {
    const mapping = mapHistoryToLayers([step('', 4_400_000, 'strata lab busybox rootfs')], 1);
    expect(mapping).toMatchObject({ kind: 'exact', steps: [{ madeLayer: true, layerIndex: 0 }], layerSteps: [0] });
  });

  it('handles empty-layer steps only, and no history at all', () => {
    expect(mapHistoryToLayers([step('CMD ["x"]'), step('ENV A=1')], 0)).toMatchObject({
      kind: 'exact',
      layerSteps: [],
      steps: [
        { madeLayer: false, layerIndex: null },
        { madeLayer: false, layerIndex: null },
      ],
    });
    const none = mapHistoryToLayers([], 2);
    expect(none.kind).toBe('unlabelled');
    expect(none.note).toMatch(/no history/);
  });
});

// Chain IDs here are stand-ins: only equality matters to these functions.
const chain = (...ids: string[]): string[] => ids.map((id) => `sha256:${id}`);

describe('displayNameOf', () => {
  it('names an image by its first repo:tag in sort order, else its short ID', () => {
    expect(displayNameOf('sha256:aaa', ['lab/app:stable', 'lab/app:1.0', 'lab/app:latest'])).toBe('lab/app:1.0');
    expect(displayNameOf(`sha256:${'0123456789ab'.repeat(5)}cdef`, [])).toBe('0123456789ab');
    expect(displayNameOf(`sha256:${'0123456789ab'.repeat(5)}cdef`, ['<none>:<none>'])).toBe('0123456789ab');
  });
});

describe('findBase and sharedWith', () => {
  const base: ImageChain = { imageId: 'sha256:base', name: 'lab/base:latest', chainIds: chain('b1') };
  const app: ImageChain = { imageId: 'sha256:app', name: 'lab/app:1.0', chainIds: chain('b1', 'a2') };
  const debug: ImageChain = { imageId: 'sha256:debug', name: 'lab/app-debug:1.0', chainIds: chain('b1', 'a2', 'd3') };
  const tool: ImageChain = { imageId: 'sha256:tool', name: 'lab/tool:1.0', chainIds: chain('b1', 't2') };

  it('a single image has no base and shares nothing', () => {
    expect(findBase(base.imageId, base.chainIds, [])).toBeNull();
    expect(sharedWith(base.chainIds, [])).toEqual([[]]);
  });

  it('two images sharing a base: each names the base, and the base layer is shared by all three', () => {
    const all = [base, app, tool];
    const others = (self: ImageChain): ImageChain[] => all.filter((image) => image !== self);
    expect(findBase(app.imageId, app.chainIds, others(app))).toEqual({
      imageId: 'sha256:base',
      name: 'lab/base:latest',
      layerCount: 1,
    });
    expect(findBase(tool.imageId, tool.chainIds, others(tool))?.name).toBe('lab/base:latest');
    expect(findBase(base.imageId, base.chainIds, others(base))).toBeNull();
    expect(sharedWith(app.chainIds, others(app))).toEqual([['lab/base:latest', 'lab/tool:1.0'], []]);
    expect(sharedWith(base.chainIds, others(base))).toEqual([['lab/app:1.0', 'lab/tool:1.0']]);
  });

  it('an image whose chain is a prefix of another: the longest proper prefix wins', () => {
    const all = [base, app, debug, tool];
    const others = all.filter((image) => image !== debug);
    expect(findBase(debug.imageId, debug.chainIds, others)).toEqual({
      imageId: 'sha256:app',
      name: 'lab/app:1.0',
      layerCount: 2,
    });
    expect(sharedWith(debug.chainIds, others)).toEqual([
      ['lab/app:1.0', 'lab/base:latest', 'lab/tool:1.0'],
      ['lab/app:1.0'],
      [],
    ]);
    // The longer image is not a base of the shorter one.
    expect(findBase(app.imageId, app.chainIds, [debug])).toBeNull();
  });

  it('identical layers in images built separately: same chain, neither is the base of the other', () => {
    const twinA: ImageChain = { imageId: 'sha256:twinA', name: 'team/a:1', chainIds: chain('b1', 'x2') };
    const twinB: ImageChain = { imageId: 'sha256:twinB', name: 'team/b:1', chainIds: chain('b1', 'x2') };
    expect(findBase(twinA.imageId, twinA.chainIds, [twinB, base])?.name).toBe('lab/base:latest');
    expect(findBase(twinA.imageId, twinA.chainIds, [twinB])).toBeNull();
    expect(sharedWith(twinA.chainIds, [twinB])).toEqual([['team/b:1'], ['team/b:1']]);
  });

  it('a layer equal by diff ID but at another place in the chain is not shared', () => {
    // Same second diff on a different bottom layer gives a different chain ID at index 1.
    const other: ImageChain = { imageId: 'sha256:o', name: 'other:1', chainIds: chain('z1', 'a2') };
    expect(sharedWith(app.chainIds, [other])).toEqual([[], []]);
    expect(findBase(app.imageId, app.chainIds, [other])).toBeNull();
  });

  it('breaks ties by name, tagged images before untagged ones', () => {
    const untagged: ImageChain = { imageId: 'sha256:0000', name: '000000000000', chainIds: chain('b1') };
    const alias: ImageChain = { imageId: 'sha256:alias', name: 'busybox:latest', chainIds: chain('b1') };
    expect(findBase(app.imageId, app.chainIds, [untagged, base, alias])?.name).toBe('busybox:latest');
    expect(findBase(app.imageId, app.chainIds, [untagged])?.name).toBe('000000000000');
    expect(sharedWith(app.chainIds, [untagged, base, alias])[0]).toEqual([
      'busybox:latest',
      'lab/base:latest',
      '000000000000',
    ]);
  });

  it('ignores the image itself and empty chains', () => {
    const empty: ImageChain = { imageId: 'sha256:e', name: 'meta:1', chainIds: [] };
    expect(findBase(app.imageId, app.chainIds, [app, empty])).toBeNull();
  });
});
