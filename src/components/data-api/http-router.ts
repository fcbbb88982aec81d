/**
 * A tiny GET router for the data API. Paths are decoded segment by segment, exactly once; a
 * segment that decodes to '.', '..', or contains '/', '\' or NUL is refused before any handler
 * runs, so no request can name anything outside the data root (handlers validate names again).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ValidationError } from "../../core/errors.js";

export type Params = Record<string, string>;

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Params;
  query: URLSearchParams;
}

/** A JSON route returns the body; a streaming route writes `res` itself and returns undefined. */
export type Handler = (ctx: RequestContext) => Promise<unknown> | unknown;

export interface Route {
  /** e.g. "/datasets/{feed}/{date}/sample" */
  pattern: string;
  auth: boolean;
  streams?: boolean;
  handle: Handler;
}

interface CompiledRoute extends Route {
  parts: string[];
}

export interface Match {
  route: Route;
  params: Params;
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(route: Route): this {
    this.routes.push({ ...route, parts: route.pattern.split("/").slice(1) });
    return this;
  }

  match(segments: string[]): Match | undefined {
    for (const route of this.routes) {
      if (route.parts.length !== segments.length) continue;
      const params: Params = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const part = route.parts[i]!;
        if (part.startsWith("{")) params[part.slice(1, -1)] = segments[i]!;
        else ok = part === segments[i];
      }
      if (ok) return { route, params };
    }
    return undefined;
  }

  patterns(): string[] {
    return this.routes.map((route) => route.pattern);
  }
}

const FORBIDDEN = /[/\\\0]/;

/** Splits a request URL into decoded path segments and its query. Throws ValidationError. */
export function parseRequestUrl(rawUrl: string): {
  path: string;
  segments: string[];
  query: URLSearchParams;
} {
  const queryAt = rawUrl.indexOf("?");
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? "" : rawUrl.slice(queryAt + 1));
  if (!path.startsWith("/")) throw new ValidationError("invalid request path");
  const raw = path === "/" ? [] : path.slice(1).replace(/\/$/, "").split("/");
  const segments = raw.map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new ValidationError("invalid request path: bad percent-encoding");
    }
    if (decoded === "" || decoded === "." || decoded === ".." || FORBIDDEN.test(decoded)) {
      throw new ValidationError("invalid request path");
    }
    return decoded;
  });
  return { path, segments, query };
}
