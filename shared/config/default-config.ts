/**
 * The configuration a kiosk runs on when nobody has configured it yet: real Belgian
 * services that EPN visitors come for. Staff replace or extend it from the staff
 * screen or with a configuration file (docs/configuration.md).
 *
 * Every visitor language is offered (labels in each); hints name the website as it
 * calls itself, in English where the site has no version in the visitor's language.
 *
 * Allow-lists include the federal login (CSAM: iamfas / iamapps .belgium.be) for the
 * services that need an eID, itsme or a code to log in.
 */
import type { KioskConfigInput } from './schema';

const FEDERAL_LOGIN = ['iamfas.belgium.be', 'iamapps.belgium.be', 'csam.be'];

export const DEFAULT_CONFIG = {
  schemaVersion: 1,
  kiosk: { name: 'EPN Kiosk', site: '' },
  languages: { offered: ['fr', 'nl', 'de', 'en', 'ar', 'tr', 'uk'], default: 'fr' },
  themes: [
    { id: 'administration', icon: 'building' },
    { id: 'health', icon: 'health' },
    { id: 'work', icon: 'job' },
    { id: 'money', icon: 'wallet' },
    { id: 'learning', icon: 'learning' },
    { id: 'everyday', icon: 'house' },
  ],
  services: [
    {
      id: 'myminfin',
      label: { fr: 'Mes impôts', nl: 'Mijn belastingen', de: 'Meine Steuern', en: 'My taxes', ar: 'ضرائبي', tr: 'Vergilerim', uk: 'Мої податки' },
      hint: { fr: 'MyMinfin', nl: 'MyMinfin', de: 'MyMinfin', en: 'MyMinfin', ar: 'MyMinfin', tr: 'MyMinfin', uk: 'MyMinfin' },
      theme: 'administration',
      icon: 'tax',
      startUrl: 'https://eservices.minfin.fgov.be/myminfin-web/',
      allowedDomains: ['minfin.fgov.be', ...FEDERAL_LOGIN],
    },
    {
      id: 'belgium-be',
      label: { fr: 'Infos et démarches', nl: 'Info en formaliteiten', de: 'Infos und Formalitäten', en: 'Information and forms', ar: 'معلومات وإجراءات', tr: 'Bilgi ve işlemler', uk: 'Інформація та документи' },
      hint: { fr: 'belgium.be', nl: 'belgium.be', de: 'belgium.be', en: 'belgium.be', ar: 'belgium.be', tr: 'belgium.be', uk: 'belgium.be' },
      theme: 'administration',
      icon: 'document',
      startUrl: 'https://www.belgium.be/',
      allowedDomains: ['belgium.be', ...FEDERAL_LOGIN],
    },
    {
      id: 'masante',
      label: { fr: 'Ma santé', nl: 'Mijn gezondheid', de: 'Meine Gesundheit', en: 'My health', ar: 'صحتي', tr: 'Sağlığım', uk: 'Моє здоров’я' },
      hint: { fr: 'Masanté', nl: 'Mijngezondheid', de: 'Meine Gesundheit', en: 'MyHealth', ar: 'MyHealth', tr: 'MyHealth', uk: 'MyHealth' },
      theme: 'health',
      icon: 'health',
      startUrl: 'https://www.masante.belgique.be/',
      allowedDomains: [
        'masante.belgique.be',
        'mijngezondheid.belgie.be',
        'meinegesundheit.belgien.be',
        'myhealth.belgium.be',
        'ehealth.fgov.be',
        ...FEDERAL_LOGIN,
      ],
    },
    {
      id: 'leforem',
      label: { fr: 'Trouver un emploi (Wallonie)', nl: 'Werk zoeken (Wallonië)', de: 'Arbeit suchen (Wallonien)', en: 'Find a job (Wallonia)', ar: 'البحث عن عمل (والونيا)', tr: 'İş bul (Valonya)', uk: 'Знайти роботу (Валлонія)' },
      hint: { fr: 'Le Forem', nl: 'Le Forem', de: 'Le Forem', en: 'Le Forem', ar: 'Le Forem', tr: 'Le Forem', uk: 'Le Forem' },
      theme: 'work',
      icon: 'job',
      startUrl: 'https://www.leforem.be/',
      allowedDomains: ['leforem.be', ...FEDERAL_LOGIN],
    },
    {
      id: 'vdab',
      label: { fr: 'Trouver un emploi (Flandre)', nl: 'Werk zoeken (Vlaanderen)', de: 'Arbeit suchen (Flandern)', en: 'Find a job (Flanders)', ar: 'البحث عن عمل (فلاندرز)', tr: 'İş bul (Flandre)', uk: 'Знайти роботу (Фландрія)' },
      hint: { fr: 'VDAB', nl: 'VDAB', de: 'VDAB', en: 'VDAB', ar: 'VDAB', tr: 'VDAB', uk: 'VDAB' },
      theme: 'work',
      icon: 'job',
      startUrl: 'https://www.vdab.be/',
      allowedDomains: ['vdab.be', ...FEDERAL_LOGIN],
    },
    {
      id: 'actiris',
      label: { fr: 'Trouver un emploi (Bruxelles)', nl: 'Werk zoeken (Brussel)', de: 'Arbeit suchen (Brüssel)', en: 'Find a job (Brussels)', ar: 'البحث عن عمل (بروكسل)', tr: 'İş bul (Brüksel)', uk: 'Знайти роботу (Брюссель)' },
      hint: { fr: 'Actiris', nl: 'Actiris', de: 'Actiris', en: 'Actiris', ar: 'Actiris', tr: 'Actiris', uk: 'Actiris' },
      theme: 'work',
      icon: 'job',
      startUrl: 'https://www.actiris.brussels/',
      allowedDomains: ['actiris.brussels', 'actiris.be', ...FEDERAL_LOGIN],
    },
    {
      id: 'mypension',
      label: { fr: 'Ma pension', nl: 'Mijn pensioen', de: 'Meine Rente', en: 'My pension', ar: 'تقاعدي', tr: 'Emekliliğim', uk: 'Моя пенсія' },
      hint: { fr: 'MyPension', nl: 'MyPension', de: 'MyPension', en: 'MyPension', ar: 'MyPension', tr: 'MyPension', uk: 'MyPension' },
      theme: 'money',
      icon: 'pension',
      startUrl: 'https://www.mypension.be/',
      allowedDomains: ['mypension.be', ...FEDERAL_LOGIN],
    },
    {
      id: 'lesbonsclics',
      label: { fr: 'Apprendre l\'ordinateur', nl: 'Computer leren', de: 'Computer lernen', en: 'Learn computer skills', ar: 'تعلّم استخدام الكمبيوتر', tr: 'Bilgisayar öğren', uk: 'Навчитися користуватися комп’ютером' },
      hint: { fr: 'Les Bons Clics', nl: 'Les Bons Clics', de: 'Les Bons Clics', en: 'Les Bons Clics', ar: 'Les Bons Clics', tr: 'Les Bons Clics', uk: 'Les Bons Clics' },
      theme: 'learning',
      icon: 'learning',
      startUrl: 'https://www.lesbonsclics.be/',
      allowedDomains: ['lesbonsclics.be'],
    },
    {
      id: 'sncb',
      label: { fr: 'Train : horaires et billets', nl: 'Trein: uren en tickets', de: 'Zug: Fahrpläne und Tickets', en: 'Train: times and tickets', ar: 'القطار: المواعيد والتذاكر', tr: 'Tren: saatler ve biletler', uk: 'Потяг: розклад і квитки' },
      hint: { fr: 'SNCB', nl: 'NMBS', de: 'SNCB', en: 'SNCB', ar: 'SNCB', tr: 'SNCB', uk: 'SNCB' },
      theme: 'everyday',
      icon: 'train',
      startUrl: 'https://www.belgiantrain.be/',
      allowedDomains: ['belgiantrain.be'],
    },
    {
      id: 'webmail',
      label: { fr: 'Mes e-mails', nl: 'Mijn e-mails', de: 'Meine E-Mails', en: 'My e-mails', ar: 'بريدي الإلكتروني', tr: 'E-postalarım', uk: 'Моя електронна пошта' },
      hint: { fr: 'Outlook', nl: 'Outlook', de: 'Outlook', en: 'Outlook', ar: 'Outlook', tr: 'Outlook', uk: 'Outlook' },
      theme: 'everyday',
      icon: 'mail',
      startUrl: 'https://outlook.live.com/mail/',
      allowedDomains: ['outlook.live.com', 'login.live.com', 'login.microsoftonline.com', 'account.live.com', 'signup.live.com'],
    },
  ],
} as const satisfies KioskConfigInput;
