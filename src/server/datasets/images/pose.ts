import type { DetectedFace } from './schemas.ts';

// Pose buckets from the viewer's side of the photo: "left" means the face is turned
// towards the left edge of the image. Yaw decides first: a turned head that also tilts
// counts as turned, because side views are what identity sets most often lack.
export const POSE_BUCKETS = ['frontal', 'left', 'right', 'up', 'down'] as const;
export type PoseBucket = (typeof POSE_BUCKETS)[number];

export function poseBucket(face: Pick<DetectedFace, 'yaw' | 'pitch'>, yawDeg: number, pitchDeg: number): PoseBucket {
  if (Math.abs(face.yaw) >= yawDeg) return face.yaw > 0 ? 'left' : 'right';
  if (Math.abs(face.pitch) >= pitchDeg) return face.pitch > 0 ? 'up' : 'down';
  return 'frontal';
}
