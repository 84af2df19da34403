import { useEffect } from 'react';
import { TableWrap } from '../components/TableWrap';
import { useStore } from '../store';
import { ScreenHeading } from '../components/ScreenHeading';
import { CopyField } from '../components/CopyField';
import { Callout } from '../components/Callout';
import { Badge } from '../components/Badge';
import { EmptyState } from '../components/EmptyState';
import { Spinner } from '../components/Spinner';
import { formatDateTime } from '../format';

const PROTECTION: Record<string, { label: string; detail: string }> = {
  safeStorage: {
    label: 'OS keychain',
    detail: "The private key is encrypted with the operating system's keychain (Electron safeStorage).",
  },
  'file-0600': {
    label: 'Owner-only file',
    detail: 'The private key is a file only your user account can read (mode 0600). No OS keychain was available.',
  },
};

export function SettingsScreen() {
  const settings = useStore((s) => s.settings);
  const error = useStore((s) => s.settingsError);
  const loadSettings = useStore((s) => s.loadSettings);
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);

  const protection = settings
    ? (PROTECTION[settings.key_protection] ?? { label: settings.key_protection, detail: '' })
    : null;

  return (
    <div className="screen settings-screen">
      <div className="screen-head">
        <div>
          <ScreenHeading>Settings</ScreenHeading>
          <p>Where TokenOps keeps its data, the key that signs bundles and receipts, and where callbacks go.</p>
        </div>
      </div>
      {!settings ? (
        error ? (
          <Callout tone="bad" title="Could not read the settings" role="alert">
            <p>{error}</p>
          </Callout>
        ) : (
          <p className="row muted">
            <Spinner /> Loading settings…
          </p>
        )
      ) : (
        <div className="stack settings-stack">
          <section className="card" aria-labelledby="data-title">
            <div className="card-head">
              <h2 id="data-title">Data folder</h2>
            </div>
            <div className="card-body stack">
              <CopyField value={settings.home} label="data folder" />
              <p className="subtle">
                Runs, evidence copies, ledgers, keys and the callback outbox. One TokenOps process writes here at a
                time; the CLI uses the same folder with <code>--home</code> or <code>TOKENOPS_HOME</code>.
              </p>
            </div>
          </section>

          <section className="card" aria-labelledby="key-title">
            <div className="card-head">
              <h2 id="key-title">Signing key</h2>
              {protection && (
                <Badge tone={settings.key_protection === 'safeStorage' ? 'ok' : 'info'}>{protection.label}</Badge>
              )}
            </div>
            <div className="card-body">
              <dl className="dl">
                <dt>Fingerprint</dt>
                <dd data-testid="settings-fingerprint">
                  <CopyField value={settings.signer_fingerprint} label="signing key fingerprint" />
                </dd>
                <dt>Key id</dt>
                <dd className="mono break">{settings.signer_key_id}</dd>
                <dt>Algorithm</dt>
                <dd>Ed25519 (DSSE envelope over an in-toto Statement)</dd>
                <dt>Key protection</dt>
                <dd>{protection?.detail}</dd>
              </dl>
            </div>
          </section>

          <section className="card" aria-labelledby="dest-title">
            <div className="card-head">
              <h2 id="dest-title">Callback destinations</h2>
              <span className="subtle">{settings.destinations.length}</span>
            </div>
            {settings.destinations.length === 0 ? (
              <EmptyState icon="send" title="No callback destinations" compact>
                <span>Set one on a run under “Trust, quote, credit &amp; callback”.</span>
              </EmptyState>
            ) : (
              <TableWrap label="Callback destinations">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Destination</th>
                      <th scope="col">URL</th>
                      <th scope="col">Secret</th>
                      <th scope="col">State</th>
                    </tr>
                  </thead>
                  <tbody>
                    {settings.destinations.map((d) => (
                      <tr key={d.destination_id}>
                        <td className="mono break">{d.destination_id}</td>
                        <td className="break">{d.url}</td>
                        <td className="mono">{d.secret_hint}</td>
                        <td>
                          {d.disabled ? (
                            <span title={`${d.disabled.reason} (${formatDateTime(d.disabled.at)})`}>
                              <Badge tone="bad">Disabled</Badge> <span className="subtle">{d.disabled.reason}</span>
                            </span>
                          ) : (
                            <Badge tone="ok">Active</Badge>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>

          <section className="card" aria-labelledby="look-title">
            <div className="card-head">
              <h2 id="look-title">Appearance</h2>
            </div>
            <p className="card-body muted">TokenOps follows your system's light or dark setting.</p>
          </section>
        </div>
      )}
    </div>
  );
}
