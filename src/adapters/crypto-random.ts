import { randomBytes, randomUUID } from "node:crypto";
import type { Random } from "../ports/index.ts";

/** Lock tokens are 128 bits: enough that no other holder can guess or collide with one. */
const TOKEN_BYTES = 16;

export class CryptoRandom implements Random {
  uuid(): string {
    return randomUUID();
  }

  token(): string {
    return randomBytes(TOKEN_BYTES).toString("hex");
  }
}
