// English is the source of the kiosk's texts: its keys type every t() call, so a key
// that does not exist in locales/en fails to compile.
import 'i18next';
import type common from '../../locales/en/common.json';
import type welcome from '../../locales/en/welcome.json';
import type staff from '../../locales/en/staff.json';
import type stats from '../../locales/en/stats.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof common;
      /** The welcome screen's texts, bundled for every language (the others load when a language is chosen, see kiosk-i18n.ts). */
      welcome: typeof welcome;
      /** The staff statistics screen's texts (loaded with that screen, see kiosk-i18n.ts). */
      stats: typeof stats;
      /** The staff screen's texts (loaded with that screen's chunk, see kiosk-i18n.ts). */
      staff: typeof staff;
    };
  }
}
