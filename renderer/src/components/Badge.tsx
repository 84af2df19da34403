import type { Tone } from '../format';

/** A coloured status pill; the words carry the meaning, the colour only repeats it. */
export function Badge({
  tone,
  children,
  plain,
  title,
}: {
  tone: Tone;
  children: React.ReactNode;
  plain?: boolean;
  title?: string;
}) {
  return (
    <span className={`badge tone-${tone}${plain ? ' plain' : ''}`} title={title}>
      {children}
    </span>
  );
}
