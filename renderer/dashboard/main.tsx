import { createRoot } from 'react-dom/client';
import { DashboardApp } from './DashboardApp';
import { browserLanguage, createDashboardI18n } from './dashboard-i18n';
import { deviceStorage } from './device-storage';
import { createHubClient } from './hub-client';
import { takePairingCodeFromAddress } from './pair-fragment';
import './dashboard.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html must contain <div id="root">');

const storage = deviceStorage(window.localStorage);
// Before anything else reads the address: the code must not stay in it.
const codeFromAddress = takePairingCodeFromAddress(window.location, window.history);
const i18n = createDashboardI18n(storage.language() ?? browserLanguage(navigator.languages));
// The hub serves this page and its API from the same origin.
const client = createHubClient(window.location.origin);
const dashboardAddress = `${window.location.origin}${window.location.pathname}`;

createRoot(container).render(<DashboardApp client={client} i18n={i18n} storage={storage} codeFromAddress={codeFromAddress} dashboardAddress={dashboardAddress} />);
