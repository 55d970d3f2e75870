// The check character of a codice fiscale (DM 12/03/1974), for the persons the tests register.
const ODD: Record<string, number> = {
  '0': 1,
  '1': 0,
  '2': 5,
  '3': 7,
  '4': 9,
  '5': 13,
  '6': 15,
  '7': 17,
  '8': 19,
  '9': 21,
  A: 1,
  B: 0,
  C: 5,
  D: 7,
  E: 9,
  F: 13,
  G: 15,
  H: 17,
  I: 19,
  J: 21,
  K: 2,
  L: 4,
  M: 18,
  N: 20,
  O: 11,
  P: 3,
  Q: 6,
  R: 8,
  S: 12,
  T: 14,
  U: 16,
  V: 10,
  W: 22,
  X: 25,
  Y: 24,
  Z: 23,
};
const even = (c: string) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65);

export function withCheckChar(first15: string): string {
  let sum = 0;
  for (const [i, c] of [...first15.toUpperCase()].entries())
    sum += i % 2 === 0 ? (ODD[c] as number) : even(c);
  return first15.toUpperCase() + String.fromCharCode(65 + (sum % 26));
}
