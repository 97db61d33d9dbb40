import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'LoRA Studio', template: '%s · LoRA Studio' },
  description: 'Validate datasets, train LoRAs on your workers, version them and compile prompts that use them.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
