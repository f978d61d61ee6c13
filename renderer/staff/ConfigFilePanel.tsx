/**
 * The configuration file: export (the local file, downloaded through a Blob) and import
 * (a file read as text, checked by the main side with `staff.checkConfigFile`). A file
 * with problems is refused with the list of them and changes nothing; a good one becomes
 * the unsaved draft, which staff review and then save.
 */
import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskConfig } from '../../shared/config/schema';
import { MAX_CONFIG_IMPORT_CHARS } from '../../shared/contract';
import { useKioskBridge } from '../bridge/bridge-context';
import { callSafely } from '../bridge/call-safely';
import { saveFile } from '../statistics/save-file';
import type { FieldProblem } from './config-paths';
import { ProblemList } from './fields';

type ExportOutcome = { readonly kind: 'done'; readonly fileName: string } | { readonly kind: 'failed' } | null;
type ImportOutcome =
  | { readonly kind: 'checking' }
  | { readonly kind: 'loaded'; readonly fileName: string }
  | { readonly kind: 'refused'; readonly fileName: string; readonly problems: readonly FieldProblem[] }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'failed' }
  | null;

export interface ConfigFilePanelProps {
  /** A checked file's configuration, to become the unsaved draft. */
  readonly onLoaded: (config: KioskConfig) => void;
}

function readText(file: File): Promise<string> {
  // Blob.text() where the browser has it; FileReader otherwise.
  if (typeof file.text === 'function') return file.text();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(file);
  });
}

export function ConfigFilePanel({ onLoaded }: ConfigFilePanelProps) {
  const bridge = useKioskBridge();
  const { t } = useTranslation('staff');
  const ids = { exportTitle: useId(), importTitle: useId(), input: useId() };
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<ExportOutcome>(null);
  const [imported, setImported] = useState<ImportOutcome>(null);
  const input = useRef<HTMLInputElement>(null);

  const exportFile = async () => {
    if (exporting) return;
    setExporting(true);
    setExported(null);
    const result = await callSafely(() => bridge.staff.exportConfig());
    setExporting(false);
    if (!result.ok) {
      setExported({ kind: 'failed' });
      return;
    }
    try {
      saveFile(result.value);
      setExported({ kind: 'done', fileName: result.value.fileName });
    } catch {
      setExported({ kind: 'failed' });
    }
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file === undefined) return;
    setImported({ kind: 'checking' });
    let text: string;
    try {
      text = await readText(file);
    } catch {
      setImported({ kind: 'unreadable' });
      return;
    } finally {
      // The same file can be chosen again after it was fixed.
      if (input.current !== null) input.current.value = '';
    }
    if (text.length > MAX_CONFIG_IMPORT_CHARS) {
      setImported({ kind: 'refused', fileName: file.name, problems: [{ field: '', message: `must be at most ${MAX_CONFIG_IMPORT_CHARS} characters` }] });
      return;
    }
    const result = await callSafely(() => bridge.staff.checkConfigFile({ text }));
    if (!result.ok) {
      setImported({ kind: 'failed' });
      return;
    }
    const check = result.value;
    if (check.ok) {
      onLoaded(check.config);
      setImported({ kind: 'loaded', fileName: file.name });
    } else {
      setImported({ kind: 'refused', fileName: file.name, problems: check.problems });
    }
  };

  return (
    <div className="staff-file">
      <section className="staff-section" aria-labelledby={ids.exportTitle}>
        <h2 id={ids.exportTitle}>{t('file.exportTitle')}</h2>
        <p className="staff-intro">{t('file.exportHint')}</p>
        <button type="button" className="staff-button" disabled={exporting} onClick={() => void exportFile()}>
          {t('file.export')}
        </button>
        {exported?.kind === 'done' && (
          <p className="staff-message staff-message-ok" role="status">
            {t('file.exported', { fileName: exported.fileName })}
          </p>
        )}
        {exported?.kind === 'failed' && (
          <p className="staff-message staff-message-problem" role="alert">
            {t('file.exportFailed')}
          </p>
        )}
      </section>
      <section className="staff-section" aria-labelledby={ids.importTitle}>
        <h2 id={ids.importTitle}>{t('file.importTitle')}</h2>
        <p className="staff-intro">{t('file.importHint')}</p>
        <label htmlFor={ids.input} className="staff-label">
          {t('file.choose')}
        </label>
        <input ref={input} id={ids.input} className="staff-file-input" type="file" accept=".json,.jsonc,application/json" onChange={(event) => void importFile(event)} />
        {imported?.kind === 'checking' && (
          <p className="staff-message" role="status">
            {t('file.checking')}
          </p>
        )}
        {imported?.kind === 'loaded' && (
          <p className="staff-message staff-message-ok" role="status">
            {t('file.imported', { fileName: imported.fileName })}
          </p>
        )}
        {imported?.kind === 'refused' && (
          <div className="staff-message staff-message-problem" role="alert" data-testid="import-problems">
            <p>{t('file.refused', { fileName: imported.fileName })}</p>
            <ProblemList problems={imported.problems} />
          </div>
        )}
        {imported?.kind === 'unreadable' && (
          <p className="staff-message staff-message-problem" role="alert">
            {t('file.unreadable')}
          </p>
        )}
        {imported?.kind === 'failed' && (
          <p className="staff-message staff-message-problem" role="alert">
            {t('file.failed')}
          </p>
        )}
      </section>
    </div>
  );
}
