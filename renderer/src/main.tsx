import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchFirstScreen } from './features/editing/prefetch';
import './i18n';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    // Contract errors are answers, not network blips: show them at once instead of retrying.
    queries: { retry: false, refetchOnWindowFocus: false },
  },
});

prefetchFirstScreen(queryClient);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
// The first render as a transition: React yields to the page every few milliseconds instead of
// holding the main thread for the whole window (~0.4 s), so the prefetched answers are handled,
// and the grid's request sent, while it renders.
startTransition(() => {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
});
