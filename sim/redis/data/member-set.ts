/**
 * A set with O(1) add, delete, membership and uniform random pick (SPOP, SRANDMEMBER): members live in an
 * array and a map from member to its slot; deletion moves the last member into the hole.
 */
export class MemberSet {
  private readonly members: string[] = [];
  private readonly slots = new Map<string, number>();

  get size(): number {
    return this.members.length;
  }

  has(member: string): boolean {
    return this.slots.has(member);
  }

  add(member: string): boolean {
    if (this.slots.has(member)) return false;
    this.slots.set(member, this.members.length);
    this.members.push(member);
    return true;
  }

  delete(member: string): boolean {
    const slot = this.slots.get(member);
    if (slot === undefined) return false;
    const last = this.members.pop() as string;
    if (slot < this.members.length) {
      this.members[slot] = last;
      this.slots.set(last, slot);
    }
    this.slots.delete(member);
    return true;
  }

  at(index: number): string {
    return this.members[index] as string;
  }

  toArray(): string[] {
    return this.members.slice();
  }

  /** A set no later change of this one reaches, its members in the same slots (SPOP picks by slot). */
  copy(): MemberSet {
    const copy = new MemberSet();
    for (const member of this.members) copy.add(member);
    return copy;
  }
}
