/**
 * Plain words for what the model found: a problem of a field, the answer of the address
 * tester, the name of a language. Kept apart from the components so both the form and
 * the tester say the same thing the same way.
 */
import { endonymOf, type LanguageCode } from '../../../shared/languages';
import type { AddressAnswer, AddressRefusal, TileProblem } from './tile-edits';
import type { TilesTexts } from './tiles-texts';

/** A language's name in the staff screen's language ("German" for staff reading English). */
export function languageName(code: LanguageCode, inLanguage: LanguageCode): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? endonymOf(code);
  } catch {
    return endonymOf(code);
  }
}

export function refusalWords(t: TilesTexts, refusal: AddressRefusal): string {
  switch (refusal.reason) {
    case 'host':
      return t('answer.host', { host: refusal.host });
    case 'port':
      return refusal.port === '' ? t('answer.defaultPort', { host: refusal.host }) : t('answer.port', { port: refusal.port });
    case 'insecure-http':
      return t('answer.insecure-http');
    case 'user-info':
      return t('answer.user-info');
    case 'scheme':
      return t('answer.scheme');
    case 'unparsable':
      return t('answer.unparsable');
  }
}

export function answerWords(t: TilesTexts, answer: AddressAnswer): string {
  if (answer.allowed) return t('answer.allowed');
  return refusalWords(t, answer);
}

export type ListProblem = TileProblem | { readonly kind: 'domainDuplicate'; readonly domain: string };

export function problemWords(t: TilesTexts, problem: ListProblem): string {
  switch (problem.kind) {
    case 'idFormat':
      return t('errors.idFormat');
    case 'idTaken':
      return t('errors.idTaken', { id: problem.id });
    case 'labelMissing':
      return t('errors.labelMissing');
    case 'tooLong':
      return t('errors.tooLong');
    case 'theme':
      return t('errors.theme');
    case 'icon':
      return t('errors.icon');
    case 'startUrlFormat':
      return t('errors.startUrlFormat');
    case 'startUrlRefused':
      return refusalWords(t, problem.refusal);
    case 'domainsEmpty':
      return t('errors.domainsEmpty');
    case 'domainFormat':
      return t('errors.domainFormat', { domain: problem.domain });
    case 'domainDuplicate':
      return t('errors.domainDuplicate', { domain: problem.domain });
    case 'generic':
      return t('errors.generic');
  }
}
