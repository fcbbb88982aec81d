/** Rules for `feeds/<name>.yaml`: shape (zod) plus the checks that span versions. */
import { z } from "zod";
import { fileName, isoDate, nonEmpty, url, windowsOverlap } from "./field-rules.js";
import { type Problem, problemAt, problemsFromZod } from "./problems.js";
import type { FeedConfig } from "./types.js";
import type { YamlFile } from "./yaml-file.js";

export const FEED_STATUSES = ["active", "deprecated", "disabled"] as const;

const feedVersion = z.strictObject({
  version: nonEmpty,
  effective_from: isoDate,
  effective_to: isoDate.optional(),
  protocol: z.enum(["wss", "ws", "https", "http"]),
  endpoint: url(["wss", "ws"]),
  rest_endpoint: url(["https", "http"]),
  demo_endpoint: url(["wss", "ws"]).optional(),
  demo_rest_endpoint: url(["https", "http"]).optional(),
  auth_method: nonEmpty.optional(),
  rate_limits: z.record(z.string(), z.number().nonnegative()).optional(),
  capabilities: z.array(nonEmpty).optional(),
  notes: z.string().optional(),
});

const feedShape = z.strictObject({
  name: fileName,
  display_name: z.string().optional(),
  description: z.string().optional(),
  type: z.enum(["websocket", "rest", "fix"]),
  status: z.enum(FEED_STATUSES),
  calendar: z
    .strictObject({
      timezone: nonEmpty,
      open_time: z.string().optional(),
      close_time: z.string().optional(),
      hours: z.string().optional(),
    })
    .optional(),
  versions: z.array(feedVersion).min(1, { message: "needs at least one version" }),
});

/** Validates a parsed feed file; `expectedName` is its file name without `.yaml`. */
export function checkFeedFile(
  file: YamlFile,
  expectedName?: string,
): { feed?: FeedConfig; problems: Problem[] } {
  const input = renameKey(file.value, "feed_type", "type");
  const result = feedShape.safeParse(input, { reportInput: true });
  const naming = nameProblems(file, expectedName);
  if (!result.success) return { problems: [...naming, ...problemsFromZod(file, result.error.issues)] };
  const feed = result.data as FeedConfig;
  return { feed, problems: [...naming, ...versionProblems(file, feed)] };
}

/** `name` must equal the file name (without `.yaml`). */
export function nameProblems(file: YamlFile, expected: string | undefined): Problem[] {
  const name = (file.value as { name?: unknown } | null)?.name;
  if (expected === undefined || typeof name !== "string" || name === expected) return [];
  return [problemAt(file, ["name"], `'${name}' differs from the file name '${expected}'`)];
}

/** Unique version names, effective_to after effective_from, and no overlapping windows. */
export function versionProblems(file: YamlFile, feed: Pick<FeedConfig, "versions">): Problem[] {
  const problems: Problem[] = [];
  feed.versions.forEach((version, i) => {
    if (version.effective_to !== undefined && version.effective_to <= version.effective_from) {
      problems.push(problemAt(file, ["versions", i, "effective_to"], "must be after effective_from"));
    }
    feed.versions.forEach((other, j) => {
      if (j >= i) return;
      if (other.version === version.version) {
        problems.push(problemAt(file, ["versions", i, "version"], `duplicate version '${version.version}'`));
      } else if (windowsOverlap(version, other)) {
        const message = `window overlaps version '${other.version}' (${window(other)})`;
        problems.push(problemAt(file, ["versions", i, "effective_from"], message));
      }
    });
  });
  return problems;
}

function window(version: { effective_from: string; effective_to?: string | undefined }): string {
  return `${version.effective_from} .. ${version.effective_to ?? "open"}`;
}

/** Accepts an alternate spelling of a key (e.g. `feed_type`) by renaming it before validation. */
export function renameKey(value: unknown, from: string, to: string): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (!(from in record) || to in record) return value;
  const { [from]: moved, ...rest } = record;
  return { ...rest, [to]: moved };
}
