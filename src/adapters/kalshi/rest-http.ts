/**
 * One Kalshi REST GET: rate limit → sign → fetch with timeout → retry 429/5xx/network errors
 * with backoff → typed error or JSON validated against a schema.
 */
import type { Registry } from "prom-client";
import { Counter } from "prom-client";
import type { z } from "zod";
import { ParseError, TimeoutError, UnavailableError } from "../../core/errors.js";
import { authHeaders } from "../../core/kalshi/sign.js";
import type { Logger } from "../log.js";
import type { KalshiCredentials } from "./credentials.js";
import { httpStatusError, type NotFoundHint } from "./errors.js";
import type { TokenBucket } from "./rate-limiter.js";
import { type RestQuery, restErrorBodySchema, toSearchParams } from "./rest-types.js";
import { backoffDelayMs, isRetryableStatus, type RetryPolicy } from "./retry.js";

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface RestHttpOptions {
  baseUrl: string;
  credentials: KalshiCredentials | undefined;
  limiter: TokenBucket;
  retry: RetryPolicy;
  timeoutMs: number;
  fetch: FetchLike;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger: Logger | undefined;
  registry: Registry | undefined;
}

export interface GetRequest<S extends z.ZodType> {
  /** Metric label and log name, e.g. "markets". */
  endpoint: string;
  /** Path below the base URL, starting with "/". */
  path: string;
  query?: RestQuery;
  schema: S;
  notFound?: NotFoundHint;
}

type Attempt = { kind: "done"; response: Response } | { kind: "failed"; error: unknown };

export class RestHttp {
  private readonly basePath: string;
  private readonly requests: Counter<"endpoint" | "outcome"> | undefined;
  private readonly retries: Counter<"endpoint" | "reason"> | undefined;

  constructor(private readonly options: RestHttpOptions) {
    this.basePath = new URL(options.baseUrl).pathname.replace(/\/+$/, "");
    if (options.registry) {
      this.requests = sharedCounter(
        options.registry,
        "ssmd_kalshi_rest_requests_total",
        ["endpoint", "outcome"],
        "Kalshi REST requests by endpoint and outcome (ok, http_<status>, network, invalid_body)",
      );
      this.retries = sharedCounter(
        options.registry,
        "ssmd_kalshi_rest_retries_total",
        ["endpoint", "reason"],
        "Kalshi REST retries by endpoint and reason (429, 5xx, network)",
      );
    }
  }

  async get<S extends z.ZodType>(request: GetRequest<S>): Promise<z.infer<S>> {
    const { maxAttempts } = this.options.retry;
    for (let attempt = 1; ; attempt++) {
      await this.options.limiter.acquire();
      const result = await this.attempt(request);
      const retryReason = this.retryReason(result);
      if (retryReason === undefined || attempt >= maxAttempts) return this.finish(request, result);
      if (result.kind === "done") await result.response.body?.cancel();
      this.retries?.inc({ endpoint: request.endpoint, reason: retryReason });
      const delayMs = backoffDelayMs(attempt, this.options.retry, this.options.random);
      this.options.logger?.debug("kalshi rest retry", {
        endpoint: request.endpoint,
        reason: retryReason,
        delayMs,
      });
      await this.options.sleep(delayMs);
    }
  }

  private async attempt(request: GetRequest<z.ZodType>): Promise<Attempt> {
    const search = toSearchParams(request.query ?? {}).toString();
    const url = `${this.options.baseUrl.replace(/\/+$/, "")}${request.path}${search ? `?${search}` : ""}`;
    const headers: Record<string, string> = { accept: "application/json" };
    const credentials = this.options.credentials;
    if (credentials) {
      const signed = authHeaders(
        credentials.keyId,
        credentials.privateKey,
        this.options.now(),
        "GET",
        this.basePath + request.path,
      );
      Object.assign(headers, signed);
    }
    try {
      const signal = AbortSignal.timeout(this.options.timeoutMs);
      return { kind: "done", response: await this.options.fetch(url, { method: "GET", headers, signal }) };
    } catch (error) {
      return { kind: "failed", error };
    }
  }

  private retryReason(result: Attempt): string | undefined {
    if (result.kind === "failed") return "network";
    const { status } = result.response;
    if (!isRetryableStatus(status)) return undefined;
    if (status === 429) this.options.limiter.slowDown();
    return status === 429 ? "429" : "5xx";
  }

  private async finish<S extends z.ZodType>(request: GetRequest<S>, result: Attempt): Promise<z.infer<S>> {
    const endpoint = request.endpoint;
    if (result.kind === "failed") {
      this.requests?.inc({ endpoint, outcome: "network" });
      throw networkError(request.path, result.error);
    }
    const { response } = result;
    if (!response.ok) {
      this.requests?.inc({ endpoint, outcome: `http_${response.status}` });
      const message = await serverMessage(response);
      throw httpStatusError(response.status, this.basePath + request.path, message, request.notFound);
    }
    this.options.limiter.recordSuccess();
    const parsed = request.schema.safeParse(await readJson(response, request.path));
    if (!parsed.success) {
      this.requests?.inc({ endpoint, outcome: "invalid_body" });
      const problems = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new ParseError(`unexpected response shape from ${request.path}`, { details: problems });
    }
    this.requests?.inc({ endpoint, outcome: "ok" });
    return parsed.data;
  }
}

/** One counter per registry, shared by every client registered on it. */
function sharedCounter<L extends string>(
  registry: Registry,
  name: string,
  labelNames: L[],
  help: string,
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

async function readJson(response: Response, path: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ParseError(`response from ${path} is not JSON (${text.length} bytes)`, { cause });
  }
}

async function serverMessage(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => "");
  try {
    const body = restErrorBodySchema.safeParse(JSON.parse(text) as unknown);
    if (body.success) return body.data.message ?? body.data.error ?? body.data.code;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.length > 0 ? text.slice(0, 200) : undefined;
}

function networkError(path: string, error: unknown): TimeoutError | UnavailableError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new TimeoutError(`Kalshi request ${path} timed out`, { cause: error });
  }
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return new UnavailableError(`cannot reach Kalshi for ${path}: ${reason}`, { cause: error });
}
