'use client';
import * as SliderPrimitive from '@radix-ui/react-slider';

/** LoRA weight: a Radix slider (arrow keys move by 0.05) with the value printed beside it. */
export function WeightSlider({ value, range, onChange, id }: { value: number; range: { min: number; max: number }; onChange: (v: number) => void; id: string }) {
  return (
    <div className="flex items-center gap-4">
      <SliderPrimitive.Root
        id={id}
        className="relative flex h-5 flex-1 touch-none select-none items-center"
        min={range.min}
        max={range.max}
        step={0.05}
        value={[value]}
        onValueChange={([v]) => onChange(Math.round((v ?? value) * 100) / 100)}
      >
        <SliderPrimitive.Track className="relative h-1.5 grow overflow-hidden rounded-full bg-muted">
          <SliderPrimitive.Range className="absolute h-full bg-primary" />
        </SliderPrimitive.Track>
        <SliderPrimitive.Thumb
          aria-label="LoRA weight"
          data-testid="weight-slider"
          className="block size-4 rounded-full border-2 border-primary bg-background shadow focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        />
      </SliderPrimitive.Root>
      <output htmlFor={id} className="w-12 text-right font-mono text-sm tabular-nums" data-testid="weight-value">
        {value.toFixed(2)}
      </output>
    </div>
  );
}
