import { Icon } from './Icon';

/** Shown over the whole window while files are dragged; says where the drop will go. */
export function DropOverlay({ title, detail, refuse }: { title: string; detail: string; refuse?: boolean }) {
  return (
    <div className={`drop-overlay${refuse ? ' refuse' : ''}`} data-testid="drop-overlay">
      <div className="drop-overlay-card">
        <span className="drop-icon">
          <Icon name={refuse ? 'info' : 'upload'} size={32} />
        </span>
        <strong>{title}</strong>
        <span className="muted">{detail}</span>
      </div>
    </div>
  );
}
