/** `ssmd key list ENV|verify ENV`: the keys an environment needs; values are never printed. */
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { verifyKey } from "../../metadata/key-verify.js";
import type { CliContext } from "../context.js";
import { check, paint, printJson, printLine, printTable } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { type DirOptions, openTree, requireEntry, requireValid, withDirOption } from "./metadata-common.js";

interface JsonOptions extends DirOptions {
  json?: boolean;
}

async function loadEnvironment(ctx: CliContext, name: string, options: DirOptions) {
  const tree = await openTree(ctx, options);
  return requireValid(tree, requireEntry(tree.environments, "environment", name));
}

async function listKeys(ctx: CliContext, name: string, options: JsonOptions): Promise<void> {
  const environment = await loadEnvironment(ctx, name, options);
  const rows = Object.entries(environment.keys).map(([key, spec]) => {
    const result = verifyKey(key, spec, ctx.env, ctx.cwd);
    return {
      key,
      type: spec.type,
      required: spec.required,
      fields: spec.fields,
      source: spec.source,
      present: result.present,
    };
  });
  if (options.json) return printJson(ctx, rows);
  if (rows.length === 0) return printLine(ctx, `environment '${name}' declares no keys`);
  printTable(
    ctx,
    ["KEY", "TYPE", "REQUIRED", "FIELDS", "SOURCE", "PRESENT"],
    rows.map((r) => [
      r.key,
      r.type,
      r.required ? "yes" : "no",
      r.fields.join(","),
      r.source,
      r.present ? "yes" : "no",
    ]),
  );
}

async function verifyKeys(ctx: CliContext, name: string, options: JsonOptions): Promise<void> {
  const environment = await loadEnvironment(ctx, name, options);
  const results = Object.entries(environment.keys).map(([key, spec]) =>
    verifyKey(key, spec, ctx.env, ctx.cwd),
  );
  if (options.json) printJson(ctx, results);
  else {
    for (const result of results) {
      const label = `key '${result.key}' (${result.source})${result.ok ? ": present and valid" : ""}`;
      if (!result.ok && result.unverifiable)
        printLine(ctx, `${paint(ctx, "yellow", "!")} ${label} (not checked here)`);
      else if (!result.ok && !result.required)
        printLine(ctx, `${paint(ctx, "yellow", "!")} ${label} (optional)`);
      else printLine(ctx, check(ctx, result.ok, label));
      for (const note of result.notes) printLine(ctx, `    ${note}`);
    }
  }
  const failed = results.filter((r) => r.required && !r.ok && !r.unverifiable);
  if (failed.length > 0) {
    const details = options.json ? failed.flatMap((r) => r.notes.map((n) => `${r.key}: ${n}`)) : [];
    throw new ValidationError(`${failed.length} required key(s) of '${name}' missing or invalid`, details);
  }
}

export const keyCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const key = program.command("key").description("keys an environment needs (values are never printed)");
    key.addHelpText("after", "\nExample:\n  ssmd key verify kalshi-sim\n");
    withDirOption(key.command("list"))
      .description("which keys an environment needs, where they come from, whether present")
      .argument("<env>", "environment name")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd key list kalshi-prod --json\n")
      .action((name: string, options: JsonOptions) => listKeys(ctx, name, options));
    withDirOption(key.command("verify"))
      .description("check every key is present and parses (a private key must be RSA PEM); exit 1 if not")
      .argument("<env>", "environment name")
      .option("--json", "print as JSON")
      .addHelpText(
        "after",
        "\nExample:\n  KALSHI_API_KEY=... KALSHI_PRIVATE_KEY_PATH=key.pem ssmd key verify kalshi-sim\n",
      )
      .action((name: string, options: JsonOptions) => verifyKeys(ctx, name, options));
  },
};
