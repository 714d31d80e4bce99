import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { checkChoice } from '../util/index.js';
import { onnxModelType } from '../infer/index.js';
import { RESIZE_MODES, type ResizeMode } from './preprocess.js';

export type Activation = 'auto' | 'sigmoid' | 'softmax' | 'none';
export const ACTIVATIONS: readonly Activation[] = ['auto', 'sigmoid', 'softmax', 'none'];

/** How a model wants its input and how its output reads: every field optional, filled from the layers below. */
export interface PreprocessSpec {
  size?: number;
  channels?: 1 | 3;
  resize?: ResizeMode;
  /** Centre crop, a fraction of the shorter side (see Preprocess.centerCrop); null: none. */
  center_crop?: number | null;
  range?: [number, number];
  mean?: number[];
  std?: number[];
  activation?: Activation;
}

export type PresetName = 'imagenet' | 'torchxrayvision' | 'mura-densenet' | 'none';
export const PRESET_NAMES: readonly PresetName[] = ['imagenet', 'torchxrayvision', 'mura-densenet', 'none'];

const IMAGENET_MEAN = [0.485, 0.456, 0.406],
  IMAGENET_STD = [0.229, 0.224, 0.225];

/**
 * Model families' preprocessing. imagenet: torchvision's Resize(256) + CenterCrop(224), RGB, ImageNet mean/std.
 * torchxrayvision: the central square resized to 224 (XRayCenterCrop + Resize), one channel scaled to [-1024, 1024] (xrv.datasets.normalize),
 * outputs already probabilities. mura-densenet: the MURA baseline (Rajpurkar et al. 2017), 320 x 320 stretched,
 * RGB, ImageNet mean/std, one sigmoid output. none: [0, 1] gray, no crop, the model's own size and channels.
 */
export const PRESETS: Record<PresetName, PreprocessSpec> = {
  imagenet: {
    size: 224,
    channels: 3,
    resize: 'stretch',
    center_crop: 0.875,
    range: [0, 1],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
  },
  torchxrayvision: {
    size: 224,
    channels: 1,
    resize: 'stretch',
    center_crop: 1,
    range: [-1024, 1024],
    mean: [0],
    std: [1],
    activation: 'none',
  },
  'mura-densenet': {
    size: 320,
    channels: 3,
    resize: 'stretch',
    center_crop: null,
    range: [0, 1],
    mean: IMAGENET_MEAN,
    std: IMAGENET_STD,
    activation: 'sigmoid',
  },
  none: { resize: 'stretch', center_crop: null, range: [0, 1], mean: [0], std: [1] },
};

const numberList = z
  .union([z.number(), z.array(z.number()).min(1).max(3)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/** The sidecar / metadata schema: a preset and any fields that override it. */
export const SpecSchema = z
  .object({
    preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]]).optional(),
    size: z.number().int().min(1).max(8192).optional(),
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    resize: z.enum(RESIZE_MODES as [ResizeMode, ...ResizeMode[]]).optional(),
    center_crop: z.number().gt(0).max(1).nullable().optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
    mean: numberList.optional(),
    std: numberList.optional(),
    activation: z.enum(ACTIVATIONS as [Activation, ...Activation[]]).optional(),
  })
  .strict();
export type SpecFile = z.infer<typeof SpecSchema>;

/** A spec file's preset expanded, its own fields over it. */
export function expandSpec(s: SpecFile): PreprocessSpec {
  const { preset, ...fields } = s;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return { ...(preset ? PRESETS[preset] : {}), ...defined } as PreprocessSpec;
}

export function parseSpec(value: unknown, where: string): PreprocessSpec {
  const r = SpecSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`${where}: bad preprocessing spec at "${i.path.join('.') || '(top)'}": ${i.message}`);
  }
  return expandSpec(r.data);
}

/** The sidecar beside a model: M.onnx.json (or M.pt.json), else M.preprocess.json; null when there is none. */
export async function readSidecar(model: string): Promise<{ spec: PreprocessSpec; source: string } | null> {
  for (const file of [`${model}.json`, `${model.replace(/\.[^./\\]+$/, '')}.preprocess.json`]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: not JSON (${(err as Error).message})`);
    }
    return { spec: parseSpec(json, file), source: file };
  }
  return null;
}

/**
 * The spec an ONNX model states in its metadata_props: either one key "confound.preprocess" holding the JSON, or
 * one key per field ("preset", "mean", ...; values JSON or plain). Null when the model states none.
 */
export function specFromOnnxMetadata(bytes: Uint8Array, where: string): PreprocessSpec | null {
  let props: { key?: string; value?: string }[];
  try {
    const m = onnxModelType().toObject(onnxModelType().decode(bytes)) as {
      metadata_props?: { key?: string; value?: string }[];
    };
    props = m.metadata_props ?? [];
  } catch {
    return null;
  }
  const fields = new Set(Object.keys(SpecSchema.shape));
  const whole = props.find((p) => p.key === 'confound.preprocess');
  if (whole) {
    try {
      return parseSpec(JSON.parse(whole.value ?? ''), `${where} metadata confound.preprocess`);
    } catch (err) {
      if (err instanceof SyntaxError) throw new Error(`${where}: metadata confound.preprocess is not JSON`);
      throw err;
    }
  }
  const own = props.filter((p) => p.key && fields.has(p.key));
  if (own.length === 0) return null;
  const obj: Record<string, unknown> = {};
  for (const p of own) {
    const v = p.value ?? '';
    try {
      obj[p.key!] = JSON.parse(v);
    } catch {
      obj[p.key!] = v.includes(',') ? v.split(',').map(Number) : v;
    }
  }
  return parseSpec(obj, `${where} metadata_props`);
}

/** Later layers win: e.g. [preset, sidecar, command line]. Undefined fields do not override. */
export function mergeSpecs(...layers: (PreprocessSpec | null | undefined)[]): PreprocessSpec {
  const out: PreprocessSpec = {};
  for (const l of layers)
    if (l) for (const [k, v] of Object.entries(l)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function presetSpec(name: string): PreprocessSpec {
  return PRESETS[checkChoice('preset', name, PRESET_NAMES)];
}

/** What the user asked for on the command line (or the API): a preset and explicit fields. */
export interface PreprocessRequest {
  preset?: string;
  inputSize?: number;
  channels?: 1 | 3;
  mean?: readonly number[];
  std?: readonly number[];
  resize?: ResizeMode;
  /** A fraction of the shorter side; null turns a preset's or sidecar's crop off. */
  centerCrop?: number | null;
  range?: readonly [number, number];
  activation?: Activation;
}

/**
 * The preprocessing spec for a model, from (weakest first) the model's metadata_props, its sidecar JSON, the
 * requested preset, then explicit fields; and a line saying where it came from.
 */
export async function resolveSpec(
  model: string,
  req: PreprocessRequest,
  metadata: PreprocessSpec | null,
): Promise<{ spec: PreprocessSpec; source: string }> {
  const sidecar = await readSidecar(model);
  const explicit: PreprocessSpec = {
    size: req.inputSize,
    channels: req.channels,
    mean: req.mean && [...req.mean],
    std: req.std && [...req.std],
    resize: req.resize,
    center_crop: req.centerCrop,
    range: req.range && [req.range[0], req.range[1]],
    activation: req.activation === 'auto' ? undefined : req.activation,
  };
  const sources = [
    metadata && 'ONNX metadata_props',
    sidecar && `sidecar ${sidecar.source}`,
    req.preset && `preset ${req.preset}`,
    Object.values(explicit).some((v) => v !== undefined) && 'options',
  ].filter(Boolean);
  return {
    spec: mergeSpecs(metadata, sidecar?.spec, req.preset ? presetSpec(req.preset) : null, explicit),
    source: sources.length ? sources.join(' < ') : 'defaults',
  };
}
