/**
 * "My files": what the visitor downloaded during this session, with each file's size
 * in the visitor's language and whether it is still coming. Erased at the end.
 */
import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { FileText, LoaderCircle } from 'lucide-react';
import type { VisitorFile } from '../../shared/contract';
import type { LanguageCode } from '../../shared/languages';
import { ActionButton } from './ActionButton';
import { ModalDialog } from './ModalDialog';

export interface FilesDialogProps {
  readonly files: readonly VisitorFile[];
  readonly language: LanguageCode;
  readonly onClose: () => void;
}

const UNITS = [
  ['gigabyte', 1e9],
  ['megabyte', 1e6],
  ['kilobyte', 1e3],
] as const;

/** "12,5 ko", "1.2 MB", "512 byte": decimal units (1 kB = 1000 bytes), as the language writes them. */
export function formatFileSize(bytes: number, language: LanguageCode): string {
  const [unit, size] = UNITS.find(([, factor]) => bytes >= factor) ?? ['byte', 1];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / size);
}

export function FilesDialog({ files, language, onClose }: FilesDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const introId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <ModalDialog role="dialog" titleId={titleId} descriptionId={introId} initialFocus={closeRef} onDismiss={onClose}>
      <h2 id={titleId} className="modal-title">
        {t('files.title')}
      </h2>
      <p id={introId} className="modal-message">
        {t('files.intro')}
      </p>
      <ul className="file-list" aria-labelledby={titleId}>
        {files.map((file) => (
          <li key={file.name} className="file-item">
            {file.inProgress ? (
              <LoaderCircle className="file-icon" aria-hidden="true" focusable="false" />
            ) : (
              <FileText className="file-icon" aria-hidden="true" focusable="false" />
            )}
            <span className="file-name">{file.name}</span>
            <span className="file-detail">{file.inProgress ? t('files.inProgress') : formatFileSize(file.sizeBytes, language)}</span>
          </li>
        ))}
      </ul>
      <div className="modal-actions">
        <ActionButton ref={closeRef} action="close" tone="primary" label={t('files.close')} onClick={onClose} />
      </div>
    </ModalDialog>
  );
}
