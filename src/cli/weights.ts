import type { Command } from 'commander';
import { printJson } from './common.js';

export function register(program: Command): void {
  const weights = program
    .command('weights')
    .description("Starting weights: convert a PyTorch checkpoint (torchvision's densenet121-*.pth) to safetensors");
  weights
    .command('convert')
    .description(
      'Read a PyTorch checkpoint (torch.save of a state_dict, zip or legacy format; no Python needed) or safetensors and write safetensors under torchvision names',
    )
    .argument('<in>', 'the .pth / .pt / .safetensors file')
    .argument('<out>', 'the .safetensors file to write')
    .option('--json', 'print what was written as JSON')
    .action(async (input: string, output: string, o: { json?: boolean }) => {
      const { convertWeights } = await import('../engine/index.js');
      const r = await convertWeights(input, output);
      if (o.json) printJson({ in: input, out: output, ...r });
      else process.stdout.write(`wrote ${r.tensors} tensors (${r.parameters} values) from ${input} to ${output}\n`);
    });
}
