import { fail, wrongArity } from "../errors.ts";
import { OK } from "../reply.ts";
import { isOption, type CommandContext, type CommandTable } from "./command.ts";

function script(ctx: CommandContext, [subcommand, ...args]: string[]) {
  const name = (subcommand as string).toUpperCase();
  if (name === "LOAD") {
    if (args.length !== 1) wrongArity("script|load");
    return ctx.scripting.load(args[0] as string);
  }
  if (name === "EXISTS") {
    if (args.length < 1) wrongArity("script|exists");
    return args.map((sha) => (ctx.scripting.exists(sha) ? 1 : 0));
  }
  if (name === "FLUSH") {
    if (args.length > 1) wrongArity("script|flush");
    if (args.length === 1 && !isOption(args[0] as string, "ASYNC") && !isOption(args[0] as string, "SYNC")) {
      fail("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    }
    ctx.scripting.flush();
    return OK;
  }
  return fail(`ERR unknown subcommand '${subcommand}'. Try SCRIPT HELP.`);
}

export const scriptingCommands: CommandTable = {
  eval: { arity: -3, noScript: true, run: (ctx, args) => ctx.scripting.eval(args) },
  evalsha: { arity: -3, noScript: true, run: (ctx, args) => ctx.scripting.evalSha(args) },
  script: { arity: -2, noScript: true, run: script },
};
