export * from "./messages.ts";
export * from "./parse.ts";
export * from "./result.ts";
