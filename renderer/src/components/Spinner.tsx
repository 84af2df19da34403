import { Icon } from './Icon';

export function Spinner({ size = 14 }: { size?: number }) {
  return <Icon name="spinner" size={size} className="spinner" />;
}
