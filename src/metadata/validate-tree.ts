/** Every problem in the tree: each file on its own, references between files, and (optionally) keys. */
import { verifyKey } from "./key-verify.js";
import { formatProblem, problemAt } from "./problems.js";
import { referenceProblems } from "./references.js";
import type { MetadataTree } from "./tree.js";

export interface ValidateOptions {
  checkKeys?: boolean;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export function validateTree(tree: MetadataTree, options: ValidateOptions = {}): string[] {
  const problems = [...tree.problems, ...referenceProblems(tree)];
  if (options.checkKeys) problems.push(...keyProblems(tree, options.env ?? {}, options.cwd ?? tree.dir));
  return problems;
}

/** Required keys that are missing or do not parse, on the line of their `source`. */
export function keyProblems(
  tree: MetadataTree,
  env: Record<string, string | undefined>,
  cwd: string,
): string[] {
  return [...tree.environments.values()].flatMap(({ config, file }) => {
    if (!config || !file) return [];
    return Object.entries(config.keys).flatMap(([key, spec]) => {
      const check = verifyKey(key, spec, env, cwd);
      if (check.ok || check.unverifiable || (!spec.required && !check.present)) return [];
      const field = ["keys", key, "source"];
      return check.notes.map((note) => formatProblem(problemAt(file, field, note)));
    });
  });
}
