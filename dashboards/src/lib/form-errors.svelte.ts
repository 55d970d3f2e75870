import { ApiError, asApiError, NETWORK_ERROR } from './api/api-error.ts';
import { parseItDates } from './dates.ts';
import { it } from './i18n/it.ts';

/**
 * The errors of one form: the API's message beside the field it names (`extensions.field`),
 * or at the top when the form shows no such field. Field keys are paths without `input.`.
 */
export class FormErrors {
  byField = $state<Record<string, string>>({});
  general = $state<ApiError | null>(null);
  readonly #known: () => readonly string[];

  constructor(known: () => readonly string[]) {
    this.#known = known;
  }

  get count(): number {
    return Object.keys(this.byField).length + (this.general ? 1 : 0);
  }

  of(field: string): string | undefined {
    return this.byField[field];
  }

  clear(): void {
    this.byField = {};
    this.general = null;
  }

  /** Places the error: on the longest field path the form shows that the API's path starts with. */
  take(err: unknown): ApiError {
    const e = asApiError(err);
    this.clear();
    const path = e.fieldPath;
    const known = this.#known();
    const target = path
      ? [...known]
          .filter((k) => path === k || path.startsWith(`${k}.`) || path.startsWith(`${k}[`))
          .sort((a, b) => b.length - a.length)[0]
      : undefined;
    if (target) this.byField = { [target]: e.message };
    else
      this.general =
        e.code === NETWORK_ERROR ? new ApiError(NETWORK_ERROR, it.app.networkError) : e;
    return e;
  }

  /**
   * The form's dates (gg/mm/aaaa) as the API's, null when left empty; or null once the first
   * wrong, or required and empty, is placed beside its field (keys are the API's field paths).
   */
  takeDates<K extends string>(
    values: Record<K, string>,
    required: readonly NoInfer<K>[] = [],
  ): Record<K, string | null> | null {
    const p = parseItDates(values, required);
    if (p.ok) return p.iso;
    const message = p.empty ? it.app.dateRequired : it.app.invalidDate;
    this.take(new ApiError('BAD_USER_INPUT', message, `input.${p.field}`));
    return null;
  }
}

/** Moves the focus to the first invalid field after a refused save (WCAG 3.3.1). */
export function focusFirstError(form: HTMLElement | undefined): void {
  queueMicrotask(() => {
    const el =
      form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      form?.querySelector<HTMLElement>('[data-error-summary]');
    el?.focus();
  });
}
