import { History } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';

export function VersionsPanel() {
  return (
    <EmptyState
      icon={History}
      title="No versions yet"
      description="Each training run makes a new version with its weights, checksum and settings. Validate the dataset and start training to create the first one."
    />
  );
}
