/**
 * Offers a file made on the main side to staff as a download: a Blob behind an
 * `<a download>` that is clicked once, then removed. The Blob's address is given back
 * after a minute, once the browser has long taken the file.
 */
export interface FileToSave {
  readonly fileName: string;
  readonly mediaType: string;
  readonly content: string;
}

const REVOKE_AFTER_MS = 60_000;

export function saveFile(file: FileToSave): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
