// Presigned checkpoint/sample slots are used in order. A slot is spent only when its upload
// succeeded, so one failed upload does not leave a hole in the sequence.
import type { UploadSlot } from '@lora-studio/protocol';

export class SlotQueue {
  private used = 0;

  constructor(private readonly slots: readonly UploadSlot[]) {}

  peek(): UploadSlot | undefined {
    return this.slots[this.used];
  }

  spend(): void {
    this.used++;
  }

  get total(): number {
    return this.slots.length;
  }
}
