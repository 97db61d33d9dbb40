'use client';
import { Select, SelectContent, SelectGroup, SelectItem, SelectLabel, SelectSeparator, SelectTrigger, SelectValue } from '@/components/ui/select';
import { groupProfiles, type ProfileOption } from './types.ts';

const USES_HINT: Record<ProfileOption['uses'], string> = {
  lora_tag: '<lora> tag',
  lora_request: 'API request',
  adapter_name: 'adapter',
  character_pack: 'pack',
};

export function ProfileSelect({ profiles, value, onChange }: { profiles: ProfileOption[]; value: string; onChange: (id: string) => void }) {
  const groups = groupProfiles(profiles);
  return (
    <Select value={value} onValueChange={onChange}>
      <SelectTrigger id="profile" data-testid="profile-select">
        <SelectValue placeholder="Choose where the prompt goes" />
      </SelectTrigger>
      <SelectContent>
        {groups.map((g, i) => (
          <SelectGroup key={g.group}>
            {i > 0 ? <SelectSeparator /> : null}
            <SelectLabel>{g.label}</SelectLabel>
            {g.items.map((p) => (
              <SelectItem key={p.id} value={p.id} hint={USES_HINT[p.uses]} data-testid={`profile-option-${p.id}`}>
                {p.name}
              </SelectItem>
            ))}
          </SelectGroup>
        ))}
      </SelectContent>
    </Select>
  );
}
