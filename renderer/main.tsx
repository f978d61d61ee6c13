import { createRoot } from 'react-dom/client';
import { SOURCE_LANGUAGE } from '../shared/languages';
import { getKioskBridge } from './bridge/kiosk-bridge';
import { createKioskI18n, preferredLanguage } from './i18n/kiosk-i18n';
import { KioskRoot } from './KioskRoot';
import './styles/kiosk.css';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html must contain <div id="root">');

const i18n = createKioskI18n(preferredLanguage(navigator.languages, SOURCE_LANGUAGE));
createRoot(container).render(<KioskRoot bridge={getKioskBridge()} i18n={i18n} />);
