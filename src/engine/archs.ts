/**
 * The architectures the engine builds (native/densenet.cc holds the layers; this table mirrors the
 * block counts so input sizes can be checked before any native call).
 */
export const ARCHS = {
  /** torchvision densenet121: growth 32, blocks 6/12/24/16, 64 initial features, bottleneck 4x growth. */
  densenet121: { blocks: 4, description: 'torchvision DenseNet-121 (6.95M parameters at 1 channel)' },
  /** growth 16, blocks 3/6/8, 32 initial features, bottleneck 4x growth: quick CPU studies at 128 px (8x8 final map). */
  'densenet-small': { blocks: 3, description: 'slim DenseNet-BC: growth 16, blocks 3/6/8, 32 initial features' },
  /** growth 4, blocks 2/2, 8 initial features, bottleneck 2x growth: tests only. */
  'densenet-tiny': { blocks: 2, description: 'test-only DenseNet: growth 4, blocks 2/2, 8 initial features' },
} as const;

export type Arch = keyof typeof ARCHS;
export const ARCH_NAMES = Object.keys(ARCHS) as Arch[];

/**
 * Side of the final feature map for an input side: conv0 (7x7 stride 2, pad 3), pool0 (3x3 stride 2,
 * pad 1), then one 2x2 average pool per transition. 0 means the input is too small.
 */
export function featureSize(arch: Arch, side: number): number {
  let s = Math.floor((side - 1) / 2) + 1;
  s = Math.floor((s - 1) / 2) + 1;
  for (let t = 1; t < ARCHS[arch].blocks; t++) s = Math.floor(s / 2);
  return s;
}

/** Smallest input side that still leaves a 1x1 final feature map. */
export function minimumSide(arch: Arch): number {
  let side = 1;
  while (featureSize(arch, side) < 1) side++;
  return side;
}
