import { ApiError, asApiError } from '../api/api-error.ts';
import { FormErrors, focusFirstError } from '../form-errors.svelte.ts';
import { type FormSpec, type FormValues, toInput } from './deliveries/setup-forms.ts';
import { dropDraft, loadDraft, saveDraft } from './drafts.svelte.ts';

// The state of a set-up screen (tariffs, projects): a list read from the API with its error, and
// the form that adds to it. What is typed is a draft in memory until it is saved (a refused save
// or an expired session keep it); a saved one blanks the form, says so, and reads the list again.

export type SetupScreenDeps<K extends string, D> = {
  /** The draft's key in memory (drafts.svelte.ts). */
  draftKey: string;
  /** The form's fields and how the typed text becomes the API's input (setup-forms.ts). */
  spec: FormSpec<K>;
  blank: () => FormValues<K>;
  /** The list and what the form picks from, read on opening and after each save. */
  load: () => Promise<D>;
};

export class SetupScreen<K extends string, D> {
  values: FormValues<K> = $state() as FormValues<K>;
  data = $state<D | null>(null);
  loading = $state(true);
  listError = $state<string | null>(null);
  busy = $state(false);
  confirmation = $state<string | null>(null);
  form = $state<HTMLFormElement | undefined>();
  readonly errors: FormErrors;
  readonly #deps: SetupScreenDeps<K, D>;

  /** Made while the component starts: its effects keep the draft and read the list. */
  constructor(deps: SetupScreenDeps<K, D>) {
    this.#deps = deps;
    this.values = loadDraft<FormValues<K>>(deps.draftKey) ?? deps.blank();
    this.errors = new FormErrors(() => Object.keys(deps.spec));
    $effect(() => saveDraft(deps.draftKey, this.values));
    $effect(() => {
      void this.load();
    });
  }

  async load(): Promise<void> {
    this.loading = true;
    this.listError = null;
    try {
      this.data = await this.#deps.load();
    } catch (err) {
      this.listError = asApiError(err).message;
    } finally {
      this.loading = false;
    }
  }

  /**
   * The form's submit: the typed values checked and sent with `send`; once saved, the draft
   * dropped, the form blank, `confirm`'s sentence shown, the list read again and the focus on
   * `refocus` (a selector of the form's first field) for the next one. A refusal is placed
   * beside the field it names, with the focus on it, and everything typed stays.
   */
  async save<R>(
    e: SubmitEvent,
    send: (input: Record<string, unknown>) => Promise<R>,
    confirm: (saved: R) => string,
    refocus: string,
  ): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.confirmation = null;
    this.errors.clear();
    const parsed = toInput(this.#deps.spec, this.values);
    if (!parsed.ok) {
      this.errors.take(new ApiError('BAD_USER_INPUT', parsed.message, `input.${parsed.field}`));
      focusFirstError(this.form);
      return;
    }
    this.busy = true;
    try {
      const saved = await send(parsed.input);
      dropDraft(this.#deps.draftKey);
      this.values = this.#deps.blank();
      this.confirmation = confirm(saved);
      await this.load();
      this.form?.querySelector<HTMLElement>(refocus)?.focus();
    } catch (err) {
      const e2 = this.errors.take(err);
      if (e2.code !== 'UNAUTHENTICATED') focusFirstError(this.form);
    } finally {
      this.busy = false;
    }
  }
}

export const createSetupScreen = <K extends string, D>(deps: SetupScreenDeps<K, D>) =>
  new SetupScreen(deps);
