/** Refuses a consumer filter that matches none of the stream's subjects, at start. */

import { patternCovers, patternsOverlap } from "../../adapters/bus/subject-match.js";
import type { StreamInfo } from "../../adapters/bus/types.js";
import { ConfigError } from "../../core/errors.js";

/** Throws when a filter matches no stream subject; returns true when the filters cover the whole stream. */
export function checkFilter(filters: string[], info: StreamInfo): boolean {
  const dead = filters.filter((filter) => !info.subjects.some((subject) => patternsOverlap(filter, subject)));
  if (dead.length > 0) {
    throw new ConfigError(
      `consumer filter ${dead.map((f) => `'${f}'`).join(", ")} matches none of stream '${info.name}' subjects`,
      { details: [`stream subjects: ${info.subjects.join(", ")}`, "fix nats.filter in the archiver config"] },
    );
  }
  return info.subjects.every((subject) => filters.some((filter) => patternCovers(filter, subject)));
}
