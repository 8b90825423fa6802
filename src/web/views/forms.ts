// Form building blocks shared by the account, submission and moderation pages: a labelled field with
// its error (linked by aria-describedby), the error summary, and the per-form state a failed
// submission re-renders with.
import type { FieldError } from '../../domain/user.ts';
import { type Html, html } from './html.ts';

export type FormState = { values?: Record<string, string>; errors?: FieldError[]; message?: string };

export type FieldSpec = {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'url';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  maxlength?: number;
  /** The id of a <datalist> of suggestions. */
  list?: string;
};

export function field(f: FieldSpec, s: FormState = {}): Html {
  const error = s.errors?.find((e) => e.field === f.name)?.message;
  const id = `f-${f.name}`;
  const described = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  // Passwords are never echoed back into a form.
  const value = f.type === 'password' ? '' : (s.values?.[f.name] ?? '');
  return html`<div class="field${error ? ' has-error' : ''}">
  <label for="${id}">${f.label}</label>
  ${f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : ''}
  <input id="${id}" name="${f.name}" type="${f.type ?? 'text'}" value="${value}"${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}${f.required ? ' required' : ''} maxlength="${f.maxlength ?? 300}"${f.list ? html` list="${f.list}"` : ''}${described ? html` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}>
  ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

export function formMessage(s: FormState = {}): Html {
  if (s.message) return html`<p class="notice" role="alert">${s.message}</p>`;
  if (s.errors?.length) return html`<p class="notice" role="alert">Please correct the ${s.errors.length === 1 ? 'field' : 'fields'} marked below.</p>`;
  return html``;
}
