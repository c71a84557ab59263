/**
 * Links a script against the shared Lua library: only the library's definitions the script reaches (directly or
 * through other definitions) are prepended. Redis runs a script's whole text on every call, so every unused
 * `local function` would be a closure built for nothing, every time.
 *
 * The library is read as top-level units: a unit starts at a column-0 `local` (a function, a value, or a name
 * set by the `do` block after it) together with the comment lines above it, and runs to the next unit. A unit
 * that defines no name (`redis.replicate_commands()`, with the epoch check in the `do` block after it) is always
 * kept, first, in every script.
 */
interface LibraryUnit {
  name: string | null;
  text: string;
}

const UNIT_START = /^(?:local (?:function )?([A-Za-z_][A-Za-z0-9_]*)|redis\.)/;

function unitsOf(library: string): LibraryUnit[] {
  const units: Array<{ name: string | null; lines: string[] }> = [{ name: null, lines: [] }];
  for (const line of library.split("\n")) {
    const start = UNIT_START.exec(line);
    if (!start) {
      (units.at(-1) as { lines: string[] }).lines.push(line);
      continue;
    }
    // The comment lines right above a definition are its own.
    const previous = units.at(-1) as { lines: string[] };
    let cut = previous.lines.length;
    while (cut > 0 && (previous.lines[cut - 1] as string).startsWith("--")) cut--;
    units.push({ name: start[1] ?? null, lines: [...previous.lines.splice(cut), line] });
  }
  return units.map((unit) => ({ name: unit.name, text: unit.lines.join("\n") }));
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_.])${name}([^A-Za-z0-9_]|$)`).test(text.replace(/--.*$/gm, ""));
}

export function linkLibrary(library: string, body: string): string {
  const units = unitsOf(library);
  const needed = new Set<string>();
  const pending = [body];
  while (pending.length > 0) {
    const text = pending.pop() as string;
    for (const unit of units) {
      if (unit.name === null || needed.has(unit.name) || !mentions(text, unit.name)) continue;
      needed.add(unit.name);
      pending.push(unit.text);
    }
  }
  return units.filter((unit) => unit.name === null || needed.has(unit.name)).map((unit) => unit.text).join("\n");
}
