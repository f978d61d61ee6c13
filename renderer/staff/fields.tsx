/**
 * The staff screen's form fields: a label, a hint, the schema's problems for that field
 * (shown under it and linked with aria-describedby), and the managed file's lock
 * ("Set by your organisation's IT department", the control disabled).
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isLocked, problemsOf, type FieldProblem } from './config-paths';

export interface FieldContext {
  readonly lockedKeys: readonly string[];
  readonly problems: readonly FieldProblem[];
}

interface FieldShellProps {
  readonly path: string;
  readonly label: string;
  readonly hint?: string;
  readonly context: FieldContext;
  readonly children: (control: { id: string; describedBy: string | undefined; locked: boolean; invalid: boolean }) => ReactNode;
}

export function FieldShell({ path, label, hint, context, children }: FieldShellProps) {
  const { t } = useTranslation('staff');
  const id = useId();
  const locked = isLocked(path, context.lockedKeys);
  const problems = problemsOf(path, context.problems);
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  const lockId = locked ? `${id}-lock` : undefined;
  const problemId = problems.length > 0 ? `${id}-problem` : undefined;
  const describedBy = [lockId, problemId, hintId].filter((part) => part !== undefined).join(' ') || undefined;
  return (
    <div className={locked ? 'staff-field staff-field-locked' : 'staff-field'} data-field={path}>
      <label htmlFor={id} className="staff-label">
        {label}
      </label>
      {locked && (
        <p id={lockId} className="staff-locked-note">
          {t('locked')}
        </p>
      )}
      {children({ id, describedBy, locked, invalid: problems.length > 0 })}
      {problems.length > 0 && (
        <ul id={problemId} className="staff-field-problems">
          {problems.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
          ))}
        </ul>
      )}
      {hint !== undefined && (
        <p id={hintId} className="staff-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

export interface TextFieldProps {
  readonly path: string;
  readonly label: string;
  readonly hint?: string;
  readonly context: FieldContext;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly type?: 'text' | 'url' | 'tel';
  readonly maxLength?: number;
  readonly lang?: string;
  /** The writing direction of the text typed (Arabic is right to left). */
  readonly dir?: 'ltr' | 'rtl';
}

export function TextField({ path, label, hint, context, value, onChange, type = 'text', maxLength, lang, dir }: TextFieldProps) {
  return (
    <FieldShell path={path} label={label} hint={hint} context={context}>
      {({ id, describedBy, locked, invalid }) => (
        <input
          id={id}
          className="staff-input"
          type={type}
          value={value}
          lang={lang}
          dir={dir}
          maxLength={maxLength}
          disabled={locked}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FieldShell>
  );
}

export interface NumberFieldProps {
  readonly path: string;
  readonly label: string;
  readonly hint?: string;
  readonly context: FieldContext;
  /** NaN while the field holds no number (the schema then names the problem). */
  readonly value: number | null;
  /** Empty means null when `nullable`, else NaN. */
  readonly onChange: (value: number | null) => void;
  readonly nullable?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export function NumberField({ path, label, hint, context, value, onChange, nullable = false, min, max }: NumberFieldProps) {
  return (
    <FieldShell path={path} label={label} hint={hint} context={context}>
      {({ id, describedBy, locked, invalid }) => (
        <input
          id={id}
          className="staff-input staff-input-number"
          type="number"
          inputMode="numeric"
          step={1}
          min={min}
          max={max}
          value={value === null || Number.isNaN(value) ? '' : String(value)}
          disabled={locked}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            const text = event.target.value.trim();
            onChange(text === '' ? (nullable ? null : Number.NaN) : Number(text));
          }}
        />
      )}
    </FieldShell>
  );
}

export interface CheckboxFieldProps {
  readonly path: string;
  readonly label: string;
  readonly context: FieldContext;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

export function CheckboxField({ path, label, context, checked, onChange }: CheckboxFieldProps) {
  const { t } = useTranslation('staff');
  const id = useId();
  const locked = isLocked(path, context.lockedKeys);
  const problems = problemsOf(path, context.problems);
  return (
    <div className={locked ? 'staff-field staff-field-check staff-field-locked' : 'staff-field staff-field-check'} data-field={path}>
      <label className="staff-check">
        <input type="checkbox" checked={checked} disabled={locked} aria-describedby={locked ? `${id}-lock` : undefined} onChange={(event) => onChange(event.target.checked)} />
        <span>{label}</span>
      </label>
      {locked && (
        <p id={`${id}-lock`} className="staff-locked-note">
          {t('locked')}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="staff-field-problems">
          {problems.map((problem) => (
            <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A list of problems as "field: message" lines; the whole file's problems are named as such. */
export function ProblemList({ problems }: { readonly problems: readonly FieldProblem[] }) {
  const { t } = useTranslation('staff');
  return (
    <ul className="staff-problem-list">
      {problems.map((problem, index) => (
        <li key={`${index}:${problem.field}`}>
          <code className="staff-problem-field">{problem.field === '' ? t('wholeFile') : problem.field}</code>: {problem.message}
        </li>
      ))}
    </ul>
  );
}
