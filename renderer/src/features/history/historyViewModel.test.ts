import { describe, expect, it } from 'vitest';
import type { ImageHistory } from '../../../../shared/api';
import { hex, historyStep, image, imageHistory } from '../../testing/fakeBridge';
import {
  baseBoundaryStep,
  imageOptions,
  layerRows,
  madeLayerText,
  oneLine,
  stepItems,
  stepText,
  type StepItem,
} from './historyViewModel';

const label = (item: StepItem): string => (item.kind === 'boundary' ? `| ${item.text}` : item.step.instruction);

const TWO_LAYERS: ImageHistory = imageHistory({
  imageId: hex('a'),
  steps: [
    historyStep({ createdBy: 'ADD', instruction: 'ADD file:abc in /', madeLayer: true, layerIndex: 0, size: 5 }),
    historyStep({ createdBy: 'CMD', instruction: 'CMD ["sh"]' }),
    historyStep({ createdBy: 'RUN', instruction: 'RUN make', madeLayer: true, layerIndex: 1, size: 1_500 }),
  ],
  layers: [
    { diffId: hex('1'), chainId: hex('1'), size: 5, stepIndex: 0, sharedWith: ['busybox:latest', 'lab/x:1'] },
    { diffId: hex('2'), chainId: hex('3'), size: 1_500, stepIndex: 2, sharedWith: [] },
  ],
  base: { imageId: hex('b'), name: 'busybox:latest', layerCount: 1 },
});

describe('stepItems', () => {
  it('puts the base boundary after the step that made the base’s last layer, oldest first', () => {
    expect(stepItems(TWO_LAYERS, 'oldest').map(label)).toEqual([
      'ADD file:abc in /',
      '| Base image busybox:latest ends here (1 layer)',
      'CMD ["sh"]',
      'RUN make',
    ]);
  });

  it('mirrors it newest first', () => {
    expect(stepItems(TWO_LAYERS, 'newest').map(label)).toEqual([
      'RUN make',
      'CMD ["sh"]',
      '| Base image busybox:latest ends here (1 layer)',
      'ADD file:abc in /',
    ]);
  });

  it('has no boundary without a base, or when the mapping is unlabelled', () => {
    expect(stepItems({ ...TWO_LAYERS, base: null }, 'oldest').map(label)).toEqual([
      'ADD file:abc in /',
      'CMD ["sh"]',
      'RUN make',
    ]);
    const unlabelled: ImageHistory = {
      ...TWO_LAYERS,
      steps: TWO_LAYERS.steps.map((s) => ({ ...s, madeLayer: null, layerIndex: null })),
      mapping: { kind: 'unlabelled', note: 'counts differ' },
    };
    expect(baseBoundaryStep(unlabelled)).toBeNull();
    expect(stepItems(unlabelled, 'oldest').some((i) => i.kind === 'boundary')).toBe(false);
  });

  it('puts it after the step whose ID is the base image, metadata steps included, even when unlabelled', () => {
    const steps = TWO_LAYERS.steps.map((s, i) => ({
      ...s,
      id: i === 1 ? hex('b') : s.id,
      madeLayer: null,
      layerIndex: null,
    }));
    const history: ImageHistory = { ...TWO_LAYERS, steps, mapping: { kind: 'unlabelled', note: 'counts differ' } };
    expect(baseBoundaryStep(history)).toBe(1);
    expect(stepItems(history, 'oldest').map(label)).toEqual([
      'ADD file:abc in /',
      'CMD ["sh"]',
      '| Base image busybox:latest ends here (1 layer)',
      'RUN make',
    ]);
  });

  it('names the layer count in words', () => {
    const base = { imageId: hex('b'), name: 'lab/app:1.0', layerCount: 2 };
    const history = { ...TWO_LAYERS, base };
    expect(stepItems(history, 'oldest').map(label)).toContain('| Base image lab/app:1.0 ends here (2 layers)');
    expect(baseBoundaryStep(history)).toBe(2);
  });
});

describe('step text', () => {
  it('prefers the instruction, falls back to the raw command, then a dash', () => {
    expect(stepText(historyStep({ createdBy: '/bin/sh -c #(nop)  CMD ["sh"]', instruction: 'CMD ["sh"]' }))).toBe(
      'CMD ["sh"]',
    );
    expect(stepText(historyStep({ createdBy: 'buildkit.dockerfile.v0' }))).toBe('buildkit.dockerfile.v0');
    expect(stepText(historyStep({ createdBy: '' }))).toBe('—');
  });

  it('collapses a multi-line command to one line', () => {
    expect(oneLine('RUN a \\\n\t&&  b\n')).toBe('RUN a \\ && b');
  });

  it('tells yes, no and unknown for the Layer column', () => {
    expect(madeLayerText(historyStep({ createdBy: 'x', madeLayer: true }))).toBe('yes');
    expect(madeLayerText(historyStep({ createdBy: 'x', madeLayer: false }))).toBe('no');
    expect(madeLayerText(historyStep({ createdBy: 'x', madeLayer: null }))).toBe('—');
  });
});

describe('layerRows', () => {
  it('shows short IDs, the step, docker-style size and the sharing images; marks base layers', () => {
    expect(layerRows(TWO_LAYERS)).toEqual([
      {
        number: 1,
        diffId: hex('1'),
        diffShort: '111111111111',
        chainId: hex('1'),
        chainShort: '111111111111',
        step: 'ADD file:abc in /',
        size: '5B',
        sharedWith: 'busybox:latest, lab/x:1',
        inBase: true,
      },
      {
        number: 2,
        diffId: hex('2'),
        diffShort: '222222222222',
        chainId: hex('3'),
        chainShort: '333333333333',
        step: 'RUN make',
        size: '1.5kB',
        sharedWith: 'only this image',
        inBase: false,
      },
    ]);
  });

  it('says unlabelled when no step is known', () => {
    const rows = layerRows({
      ...TWO_LAYERS,
      layers: TWO_LAYERS.layers.map((l) => ({ ...l, stepIndex: null, size: null })),
    });
    expect(rows.map((r) => [r.step, r.size])).toEqual([
      ['unlabelled', '—'],
      ['unlabelled', '—'],
    ]);
  });
});

describe('imageOptions', () => {
  it('lists one option per repo:tag by name, untagged images last by short ID', () => {
    const options = imageOptions([
      image({ id: hex('c'), repoTags: [] }),
      image({ id: hex('a'), repoTags: ['zeta:1', 'alpha:2'] }),
      image({ id: hex('b'), repoTags: ['mid:latest'] }),
    ]);
    expect(options.map((o) => o.label)).toEqual(['alpha:2', 'mid:latest', 'zeta:1', '<none>:<none> cccccccccccc']);
    expect(options[3]!.target).toEqual({ imageId: hex('c'), label: 'cccccccccccc' });
    expect(new Set(options.map((o) => o.value)).size).toBe(4);
  });
});
