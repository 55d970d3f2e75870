// The confirmation of the last action ("Scheda n. 12 registrata"), shown once by the next screen.
let message = $state<string | null>(null);

export function flash(text: string): void {
  message = text;
}

export function takeFlash(): string | null {
  const m = message;
  message = null;
  return m;
}
