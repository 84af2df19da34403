import { useStore } from '../store';
import { Icon } from './Icon';

/** Notifications, bottom left (clear of the Export column). Errors are announced (role=alert) and stay 20 s or until a later success. */
export function Toasts() {
  const toasts = useStore((s) => s.toasts);
  const dismiss = useStore((s) => s.dismissToast);
  return (
    <div className="toasts" aria-live="polite" aria-label="Notifications" role="region">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast toast-${t.kind}`}
          role={t.kind === 'error' ? 'alert' : 'status'}
          data-testid={`toast-${t.kind}`}
        >
          <span className="toast-icon">
            <Icon name={t.kind === 'error' ? 'alert' : t.kind === 'success' ? 'check' : 'info'} />
          </span>
          <div>
            <div className="toast-title">{t.title}</div>
            {t.message && <div className="toast-msg">{t.message}</div>}
          </div>
          <button
            type="button"
            className="btn btn-icon btn-ghost"
            aria-label={`Dismiss: ${t.title}`}
            onClick={() => dismiss(t.id)}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
