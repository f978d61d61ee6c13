// English is the source of the kiosk's texts: its keys type every t() call, so a key
// that does not exist in locales/en fails to compile.
import 'i18next';
import type common from '../../locales/en/common.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof common;
    };
  }
}
