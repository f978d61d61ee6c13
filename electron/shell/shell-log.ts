/**
 * The shell's diagnostic log: one line per event, on standard error, for whoever looks
 * after the PC. It never carries what a visitor typed or visited (no URLs, no page titles).
 */
export type ShellLog = (message: string) => void;

export function createConsoleLog(write: (line: string) => void = (line) => process.stderr.write(line)): ShellLog {
  return (message) => write(`${new Date().toISOString()} [EPN Kiosk] ${message}\n`);
}

/** Each line to standard error and to the log file of the data folder (electron/services/log-file.ts). */
export function createKioskLog(file: { write(line: string): void }, writeStandardError: (line: string) => void = (line) => process.stderr.write(line)): ShellLog {
  return createConsoleLog((line) => {
    writeStandardError(line);
    file.write(line);
  });
}
