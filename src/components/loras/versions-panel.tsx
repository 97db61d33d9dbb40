// The Versions tab's content lives with the versions feature.
export { VersionsTab as VersionsPanel } from '@/components/versions/versions-tab';
