import { useStore, type Screen } from '../store';
import { Icon, type IconName } from './Icon';
import { IS_MAC, shortcutFor } from '../hooks/useShortcuts';

const ITEMS: Array<{ screen: Screen['name']; label: string; icon: IconName }> = [
  { screen: 'runs', label: 'Runs', icon: 'runs' },
  { screen: 'verify', label: 'Verify', icon: 'verify' },
  { screen: 'ledger', label: 'Ledger', icon: 'ledger' },
  { screen: 'settings', label: 'Settings', icon: 'settings' },
];

export function Sidebar() {
  const screen = useStore((s) => s.screen);
  const go = useStore((s) => s.go);
  const fingerprint = useStore((s) => s.settings?.signer_fingerprint);
  const active = screen.name === 'run' ? 'runs' : screen.name;

  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="package" size={16} />
        </span>
        <span className="brand-name">
          TokenOps
          <span className="brand-sub">Operating tool</span>
        </span>
      </div>
      <nav aria-label="Main">
        <ul className="nav-list">
          {ITEMS.map((item) => {
            const key = shortcutFor(item.screen);
            return (
              <li key={item.screen}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={active === item.screen ? 'page' : undefined}
                  aria-keyshortcuts={key ? `${IS_MAC ? 'Meta' : 'Control'}+${key}` : undefined}
                  onClick={() => go({ name: item.screen } as Screen)}
                >
                  <Icon name={item.icon} />
                  {item.label}
                  {key && (
                    <kbd className="nav-kbd" aria-hidden="true">
                      {IS_MAC ? '⌘' : 'Ctrl '}
                      {key}
                    </kbd>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar-foot">
        {fingerprint ? (
          <>
            <span className="row">
              <Icon name="key" size={13} /> Signing key
            </span>
            <span className="mono break" title={fingerprint}>
              {fingerprint.slice(0, 23)}…
            </span>
          </>
        ) : (
          <span>Evidence stays on this computer.</span>
        )}
      </div>
    </aside>
  );
}
