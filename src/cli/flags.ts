/** Flag values shared by several commands. */
import { ValidationError } from "../core/errors.js";

/** A positive decimal integer flag (`1`, `250`; not `1e3`, ` 5` or `0`), undefined when absent. */
export function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new ValidationError(`${flag} must be a positive integer`);
  return Number(text);
}
