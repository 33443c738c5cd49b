import { Component, lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount, useHostEvents } from './api/queries';
import { EditWorkspace } from './features/editing/EditWorkspace';
import { SyncPanel } from './features/sync/SyncPanel';
import { UndoRedo } from './features/journal/UndoRedo';
import { InspectWorkspace } from './features/inspect/InspectWorkspace';
import { AccountSwitcher } from './features/accounts/AccountSwitcher';
import { useCurrentMerchant } from './state/useAccounts';
import { OperationsMenu } from './features/operations/OperationsMenu';
import { Dialogs } from './Dialogs';
import { ChecksButton } from './features/checks/ChecksButton';
import { ShortcutLayer } from './features/shortcuts/ShortcutLayer';
import { ThemeSwitch } from './features/theme/ThemeSwitch';
import { CoreStatusNotice } from './features/coreStatus/CoreStatusNotice';
import { setLanguage } from './i18n';
import { useUi, type View } from './state/uiStore';

/** One per workspace: an error shows as a message with a retry, never a blank window. */
class ErrorBoundary extends Component<{ children: ReactNode; fallback: (error: Error, reset: () => void) => ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    return this.state.error ? this.props.fallback(this.state.error, () => this.setState({ error: null })) : this.props.children;
  }
}

function Workspace({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <ErrorBoundary
      fallback={(error, reset) => (
        <div role="alert" className="workspace-error">
          <p>{t('error.generic', { message: error.message })}</p>
          <button type="button" onClick={reset}>{t('error.retry')}</button>
        </div>
      )}
    >
      {children}
    </ErrorBoundary>
  );
}

// The forecast workspace (and its chart library, most of the bundle) loads when first opened,
// so the edit workspace is usable sooner.
const ForecastView = lazy(() => import('./features/forecast/ForecastView').then((m) => ({ default: m.ForecastView })));

/** The workspaces, in tab order; each renders inside its own error boundary. */
const WORKSPACES: { view: View; render: () => ReactNode }[] = [
  { view: 'edit', render: () => <EditWorkspace /> },
  {
    view: 'forecast',
    render: () => (
      <Suspense fallback={<LoadingWorkspace />}>
        <ForecastView />
      </Suspense>
    ),
  },
  { view: 'inspect', render: () => <InspectWorkspace /> },
];

function LoadingWorkspace() {
  const { t } = useTranslation();
  return <p>{t('app.loading')}</p>;
}

export function App() {
  const { t, i18n } = useTranslation();
  useHostEvents();
  const account = useAccount();
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const active = WORKSPACES.find((w) => w.view === view) ?? WORKSPACES[0]!;
  // The account switcher's merchant (several can share a store), else the store's first.
  const current = useCurrentMerchant() ?? account.data;
  const merchantName = current ? (i18n.language === 'zh' ? current.name : current.nameEn) : '';

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          <img src="./icon.svg" alt="" width={24} height={24} /> {t('app.title')}
        </h1>
        <span className="merchant" data-testid="merchant-name">{merchantName}</span>
        <AccountSwitcher />
        <nav role="tablist" aria-label={t('app.workspaces')}>
          {WORKSPACES.map(({ view: v }) => (
            <button key={v} type="button" role="tab" aria-selected={active.view === v} onClick={() => setView(v)}>
              {t(`tabs.${v}`)}
            </button>
          ))}
        </nav>
        <UndoRedo />
        <OperationsMenu />
        <ChecksButton />
        <SyncPanel />
        <button type="button" aria-label={t('app.languageLabel')} onClick={() => setLanguage(i18n.language === 'zh' ? 'en' : 'zh')}>
          {t('app.language')}
        </button>
        <ThemeSwitch />
      </header>
      <ShortcutLayer />
      <Dialogs />
      <CoreStatusNotice />
      <main role="tabpanel" aria-label={t(`tabs.${active.view}`)}>
        <Workspace key={active.view}>{active.render()}</Workspace>
      </main>
    </div>
  );
}
