import { isUuid } from "../protocol/parse.ts";

/**
 * The original's `Uuid::parse_str(id).unwrap()` on ids read back from Redis: a bad id panics the handler
 * (seed defect 4). Returns the canonical lower-case form, as `Uuid`'s Display would print it.
 */
export function parseUuidOrPanic(text: string): string {
  if (!isUuid(text)) throw new Error(`called \`Result::unwrap()\` on an \`Err\` value: invalid UUID ${JSON.stringify(text)}`);
  return text.toLowerCase();
}
