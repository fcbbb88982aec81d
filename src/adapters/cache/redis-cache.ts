/**
 * A small key/value cache port and its Redis implementation (ioredis). Keys are namespaced by
 * `keyPrefix` so tests and environments never collide. A cache is an optimisation: callers
 * treat a failing cache as a miss (count it, log it) and go to the database.
 */
import { Redis } from "ioredis";
import { errorMessage, UnavailableError } from "../../core/errors.js";

export interface KeyValueCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
  close(): Promise<void>;
}

export interface RedisCacheOptions {
  url: string;
  /** e.g. "ssmd:prod:" */
  keyPrefix: string;
  /** Per command; default 500 ms, so a dead cache costs little. */
  commandTimeoutMs?: number;
}

export async function connectRedisCache(options: RedisCacheOptions): Promise<KeyValueCache> {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 500,
    enableOfflineQueue: false,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  redis.on("error", () => {}); // surfaced per command
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new UnavailableError(
      `redis cache unreachable at ${redactRedis(options.url)}: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
  return {
    async get(key) {
      return (await redis.get(key)) ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, "EX", ttlSeconds);
    },
    async delete(keys) {
      if (keys.length > 0) await redis.del(...keys);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function redactRedis(text: string): string {
  try {
    const url = new URL(text);
    url.password = "";
    return url.toString();
  } catch {
    return "redis";
  }
}
