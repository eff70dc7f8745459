// IIN (ИИН, individuals) and BIN (БИН, legal entities): 12 digits, the last one a check digit.
// Algorithm (DECISIONS, "Identity"): weights 1..11 over the first 11 digits, sum mod 11; if that is 10,
// weights 3,4,5,6,7,8,9,10,11,1,2, sum mod 11; if that is 10 again the number is invalid.
import type { DomainError } from "./types.ts";

export const IIN_BIN_LENGTH = 12;
export const IIN_ERROR_CODES = ["iin_bin_format", "iin_bin_checksum"] as const;

const FIRST_WEIGHTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] as const;
const SECOND_WEIGHTS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2] as const;

const weightedMod11 = (digits: readonly number[], weights: readonly number[]): number => {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  return sum % 11;
};

/**
 * The check digit for the first 11 digits, or null when no check digit exists (both sums give 10:
 * no valid IIN/BIN starts with these 11 digits). Throws nothing: a wrong input gives null.
 */
export function checkDigit(first11: string): number | null {
  if (!/^\d{11}$/.test(first11)) return null;
  const digits = [...first11].map(Number);
  const first = weightedMod11(digits, FIRST_WEIGHTS);
  if (first !== 10) return first;
  const second = weightedMod11(digits, SECOND_WEIGHTS);
  return second === 10 ? null : second;
}

/** True for a 12-digit IIN/BIN whose last digit is the correct check digit. */
export function isValidIinBin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const expected = checkDigit(value.slice(0, 11));
  return expected !== null && expected === Number(value[11]);
}

/** Removes spaces and dashes users often type ("9712 4000 1315"). */
export function normalizeIinBin(value: string): string {
  return value.replace(/[\s-]/g, "");
}

/**
 * Why a value is not a valid IIN/BIN: "iin_bin_format" (not 12 digits) or "iin_bin_checksum"
 * (wrong check digit, or the first 11 digits admit none). Empty list = valid.
 */
export function iinBinErrors(value: string, field = "bin"): DomainError[] {
  if (!/^\d{12}$/.test(value)) return [{ code: "iin_bin_format", field, params: { length: IIN_BIN_LENGTH } }];
  if (!isValidIinBin(value)) return [{ code: "iin_bin_checksum", field }];
  return [];
}
