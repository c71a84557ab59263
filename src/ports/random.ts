/** Seeded in simulation, cryptographic in production. */
export interface Random {
  /** RFC 4122 version-4 UUID, lower case. */
  uuid(): string;
  /** Opaque unguessable token, used for lock ownership. */
  token(): string;
}
