// Shared by every test file of the "renderer" project, including the few that run in
// the node environment (no DOM there, so the DOM clean-up is skipped).
import { afterEach } from 'vitest';

afterEach(async () => {
  if (typeof document === 'undefined') return;
  const { cleanup } = await import('@testing-library/react');
  cleanup();
  const root = document.documentElement;
  delete root.dataset.screen;
  delete root.dataset.sessionPhase;
  root.removeAttribute('lang');
  root.removeAttribute('dir');
});
