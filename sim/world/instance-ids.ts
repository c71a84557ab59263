/**
 * Instance ids: the first incarnation in a slot is named after the slot (`i1`), later ones after the slot and
 * their number (`i1.2`), as a restarted process gets a new identity.
 */
export function instanceId(slot: string, incarnation: number): string {
  return incarnation === 1 ? slot : `${slot}.${incarnation}`;
}

/** The slot an instance id belongs to. */
export function slotOf(id: string): string {
  const dot = id.indexOf(".");
  return dot < 0 ? id : id.slice(0, dot);
}
