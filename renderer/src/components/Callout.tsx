import type { Tone } from '../format';
import { Icon, type IconName } from './Icon';

const ICONS: Record<Tone, IconName> = { ok: 'check', warn: 'alert', bad: 'alert', info: 'info', neutral: 'info' };

/** A tinted message block; `role` lets urgent ones be announced. */
export function Callout({
  tone,
  title,
  children,
  role,
  className,
}: {
  tone: Tone;
  title?: React.ReactNode;
  children?: React.ReactNode;
  role?: 'alert' | 'status';
  className?: string;
}) {
  return (
    <div className={`callout tone-${tone}${className ? ` ${className}` : ''}`} role={role}>
      <Icon name={ICONS[tone]} size={18} />
      <div>
        {title && <div className="callout-title">{title}</div>}
        {children}
      </div>
    </div>
  );
}
