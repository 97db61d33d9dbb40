// What kind of LoRA a safetensors header describes (kohya, LyCORIS, diffusers, PEFT), its
// rank/alpha/target modules, and whether it fits a base-model family. Works on the header
// alone; alpha values need the data, so a tensor reader can be passed. Split under ./lora-format/.
export * from './lora-format/keys.ts';
export * from './lora-format/detect.ts';
export * from './lora-format/family.ts';
