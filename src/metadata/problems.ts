/**
 * Problems found in metadata files, always as "file:line field: message", and the bridge from
 * zod issues (which carry a field path) to that form.
 */
import type { z } from "zod";
import { ValidationError } from "../core/errors.js";
import type { FieldPath, YamlFile } from "./yaml-file.js";

export interface Problem {
  file: string;
  line: number;
  field: string;
  message: string;
}

export function formatProblem(problem: Problem): string {
  const field = problem.field ? ` ${problem.field}` : "";
  return `${problem.file}:${problem.line}${field}: ${problem.message}`;
}

/** `versions[1].endpoint` from `["versions", 1, "endpoint"]`. */
export function fieldName(field: FieldPath): string {
  let text = "";
  for (const segment of field) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}

export function problemAt(file: YamlFile, field: FieldPath, message: string): Problem {
  return { file: file.path, line: file.lineOf(field), field: fieldName(field), message };
}

/** One problem per zod issue; unknown keys get one problem each, on the key's own line. */
export function problemsFromZod(file: YamlFile, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems = issues.flatMap((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => problemAt(file, [...path, key], "unknown key"));
    }
    return [problemAt(file, path, describeIssue(issue))];
  });
  return problems.sort((a, b) => a.line - b.line);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.input === undefined && issue.code !== "unrecognized_keys" && issue.code !== "custom") {
    const choices = issue.code === "invalid_value" ? ` (one of ${issue.values.map(String).join(", ")})` : "";
    return `is required${choices}`;
  }
  if (issue.code === "invalid_type") {
    return `must be ${article(issue.expected)} (got ${describeValue(issue.input)})`;
  }
  if (issue.code === "invalid_value") return `must be one of ${issue.values.map(String).join(", ")}`;
  if (issue.code === "invalid_union" && "options" in issue && issue.options) {
    return `must be one of ${issue.options.map(String).join(", ")}`;
  }
  return issue.message;
}

/** "1 problem", "3 problems". */
export function problemCount(count: number): string {
  return count === 1 ? "1 problem" : `${count} problems`;
}

/** Throws one ValidationError listing every problem (nothing when the list is empty). */
export function throwIfProblems(what: string, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new ValidationError(`${what}: ${problemCount(problems.length)}`, problems.map(formatProblem));
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}
