/**
 * "Choose one of your files": a service page asked for a file, and the kiosk offers the
 * visitor's "My files" instead of the computer's disk. One file: each finished file is a
 * big button that sends it. Several files: a list of checkboxes and one button to send
 * the ticked ones. Files still downloading are shown but cannot be chosen. With no file
 * yet, the dialog says how files get there. Cancel (or Escape) sends nothing.
 */
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FileText, LoaderCircle } from 'lucide-react';
import type { VisitorFile } from '../../shared/contract';
import type { LanguageCode } from '../../shared/languages';
import { formatFileSize } from './FilesDialog';
import { ActionButton } from './ActionButton';
import { ModalDialog } from './ModalDialog';

export interface FilesChooserDialogProps {
  readonly files: readonly VisitorFile[];
  /** The page's picker takes several files. */
  readonly multiple: boolean;
  /** The service that asked, in the visitor's language. */
  readonly serviceLabel: string;
  readonly language: LanguageCode;
  /** The choice is being given to the page: the answers are closed meanwhile. */
  readonly sending: boolean;
  /** The last choice could not be given: the visitor may try again or cancel. */
  readonly failed: boolean;
  readonly onChoose: (names: readonly string[]) => void;
  readonly onCancel: () => void;
}

function FileLabel({ file, language }: { readonly file: VisitorFile; readonly language: LanguageCode }) {
  const { t } = useTranslation();
  return (
    <>
      {file.inProgress ? (
        <LoaderCircle className="file-icon" aria-hidden="true" focusable="false" />
      ) : (
        <FileText className="file-icon" aria-hidden="true" focusable="false" />
      )}
      <span className="file-name">{file.name}</span>
      <span className="file-detail">{file.inProgress ? t('files.inProgress') : formatFileSize(file.sizeBytes, language)}</span>
    </>
  );
}

export function FilesChooserDialog({ files, multiple, serviceLabel, language, sending, failed, onChoose, onCancel }: FilesChooserDialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const introId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const none = files.length === 0;

  const toggle = (name: string) =>
    setTicked((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  // Only files still listed and finished are sent, in the order they are shown.
  const tickedNames = files.filter((file) => !file.inProgress && ticked.has(file.name)).map((file) => file.name);

  return (
    <ModalDialog role="dialog" titleId={titleId} descriptionId={introId} initialFocus={cancelRef} onDismiss={sending ? () => {} : onCancel}>
      <h2 id={titleId} className="modal-title">
        {t(multiple ? 'files.chooser.titleMultiple' : 'files.chooser.title')}
      </h2>
      <p id={introId} className="modal-message">
        {none ? t('files.chooser.none') : t(multiple ? 'files.chooser.introMultiple' : 'files.chooser.intro', { service: serviceLabel })}
      </p>
      {!none && !multiple && (
        <ul className="file-list chooser-list" aria-labelledby={titleId}>
          {files.map((file) => (
            <li key={file.name}>
              <button type="button" className="file-item chooser-file" disabled={sending || file.inProgress} onClick={() => onChoose([file.name])}>
                <FileLabel file={file} language={language} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {!none && multiple && (
        <ul className="file-list chooser-list" aria-labelledby={titleId}>
          {files.map((file) => (
            <li key={file.name}>
              <label className={file.inProgress ? 'file-item chooser-file chooser-file--waiting' : 'file-item chooser-file'}>
                <input
                  type="checkbox"
                  className="chooser-check"
                  checked={!file.inProgress && ticked.has(file.name)}
                  disabled={sending || file.inProgress}
                  onChange={() => toggle(file.name)}
                />
                <FileLabel file={file} language={language} />
              </label>
            </li>
          ))}
        </ul>
      )}
      {failed && (
        <p className="chooser-problem" role="alert">
          {t('files.chooser.failed')}
        </p>
      )}
      {sending && (
        <p className="chooser-sending" role="status">
          {t('files.chooser.sending')}
        </p>
      )}
      <div className="modal-actions">
        {!none && multiple && (
          <ActionButton
            action="send"
            tone="primary"
            label={t('files.chooser.send')}
            disabled={sending || tickedNames.length === 0}
            onClick={() => onChoose(tickedNames)}
          />
        )}
        {/* Cancel and Close are one act for the visitor (leave, nothing is sent): one pictogram. */}
        <ActionButton ref={cancelRef} action="close" tone="calm" label={t(none ? 'files.chooser.close' : 'files.chooser.cancel')} disabled={sending} onClick={onCancel} />
      </div>
    </ModalDialog>
  );
}
