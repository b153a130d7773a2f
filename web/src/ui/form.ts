import { type FormEvent, useCallback, useRef, useState } from 'react';
import { problemMessage } from '../../../common/i18n/problems';
import { isApiError } from '../app/api';
import { currentLanguage, i18n } from '../app/i18n';

/** A client-side rule violation, as a code of the shared problems catalogue (same texts as the server). */
export function fieldMessage(code: string, params: Record<string, unknown> = {}): string {
  return problemMessage(code, currentLanguage(), params);
}

export type Errors<V> = Partial<Record<keyof V & string, string>>;

export interface FormApi<V extends Record<string, unknown>> {
  values: V;
  errors: Errors<V>;
  /** A message for the whole form (problem title or errors of fields not on the form). */
  formError: string | null;
  submitting: boolean;
  set<K extends keyof V & string>(key: K, value: V[K]): void;
  /** Props for a Mantine input bound to a string field. */
  field<K extends keyof V & string>(key: K): { value: V[K]; error?: string; onChange: (e: { currentTarget: { value: string } }) => void; name: string };
  setValues(v: V): void;
  reset(v?: V): void;
  setErrors(e: Errors<V>): void;
  onSubmit(run: (values: V) => Promise<void> | void): (e?: FormEvent) => void;
  ref: React.RefObject<HTMLFormElement | null>;
}

/**
 * Small form state: client validation with the catalogue's rules, then the server's field errors
 * mapped onto the same fields. Focus moves to the first invalid field, or to the form message.
 */
export function useForm<V extends Record<string, unknown>>(initial: V, validate?: (v: V) => Errors<V>): FormApi<V> {
  const [values, setValuesState] = useState<V>(initial);
  const [errors, setErrorsState] = useState<Errors<V>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const ref = useRef<HTMLFormElement | null>(null);

  const focusFirstError = useCallback(() => {
    requestAnimationFrame(() => {
      const el = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-form-error]');
      el?.focus();
    });
  }, []);

  const set = useCallback(<K extends keyof V & string>(key: K, value: V[K]) => {
    setValuesState((v) => ({ ...v, [key]: value }));
    setErrorsState((e) => (e[key] ? { ...e, [key]: undefined } : e));
  }, []);

  const api: FormApi<V> = {
    values,
    errors,
    formError,
    submitting,
    ref,
    set,
    field: (key) => ({
      name: key,
      value: values[key],
      error: errors[key],
      onChange: (e) => set(key, e.currentTarget.value as V[typeof key]),
    }),
    setValues: (v) => setValuesState(v),
    reset: (v) => {
      setValuesState(v ?? initial);
      setErrorsState({});
      setFormError(null);
    },
    setErrors: setErrorsState,
    onSubmit: (run) => (e) => {
      e?.preventDefault();
      if (submitting) return;
      const found = validate ? validate(values) : {};
      const bad = Object.entries(found).filter(([, m]) => m);
      if (bad.length) {
        setErrorsState(found);
        setFormError(null);
        focusFirstError();
        return;
      }
      setErrorsState({});
      setFormError(null);
      setSubmitting(true);
      Promise.resolve(run(values))
        .catch((err: unknown) => {
          if (isApiError(err)) {
            const known: Errors<V> = {};
            const other: string[] = [];
            for (const fe of err.fieldErrors) {
              const key = formKey(fe.field, values);
              if (key && !known[key as keyof V & string]) known[key as keyof V & string] = fe.message;
              else other.push(fe.message);
            }
            setErrorsState(known);
            setFormError(Object.keys(known).length && !other.length ? null : [err.message, ...other].join(' '));
          } else {
            setFormError(i18n.t('errors.unexpected'));
          }
          focusFirstError();
        })
        .finally(() => setSubmitting(false));
    },
  };
  return api;
}

/** The form field a server field path belongs to: itself, or its nearest parent (`hosts.2` → `hosts`). */
function formKey(field: string, values: Record<string, unknown>): string | null {
  const parts = field.split('.');
  for (let n = parts.length; n > 0; n--) {
    const key = parts.slice(0, n).join('.');
    if (key in values) return key;
  }
  return null;
}

/** Rules shared with the server (common/validators.ts), written without zod to keep pages light. */
export const rules = {
  required(v: string): string | undefined {
    return v.trim() ? undefined : fieldMessage('field.required');
  },
  length(v: string, min: number, max: number): string | undefined {
    const n = v.trim().length;
    if (n === 0) return fieldMessage('field.required');
    if (n < min) return fieldMessage('field.too_short', { minimum: min });
    if (n > max) return fieldMessage('field.too_long', { maximum: max });
    return undefined;
  },
  email(v: string): string | undefined {
    const s = v.trim();
    if (!s) return fieldMessage('field.required');
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) && s.length <= 254 ? undefined : fieldMessage('field.email');
  },
  phone(v: string): string | undefined {
    if (!v.trim()) return fieldMessage('field.required');
    return normalizePhone(v) ? undefined : fieldMessage('field.phone');
  },
  password(v: string): string | undefined {
    if (!v) return fieldMessage('field.required');
    return v.length >= 8 && v.length <= 200 && /[A-Za-z]/.test(v) && /[0-9]/.test(v) ? undefined : fieldMessage('field.password_weak');
  },
  nip(v: string): string | undefined {
    return !v.trim() || /^[0-9]{18}$/.test(v.trim()) ? undefined : fieldMessage('field.nip');
  },
};

/** Indonesian mobile numbers, normalised to 62… exactly as common/validators.ts does. */
export function normalizePhone(raw: string): string | null {
  const digits = raw.replace(/[\s\-().]/g, '');
  let d = digits.startsWith('+') ? digits.slice(1) : digits;
  if (d.startsWith('0')) d = `62${d.slice(1)}`;
  if (!/^628[1-9][0-9]{6,10}$/.test(d)) return null;
  return d;
}
