/**
 * Resolved, validated metadata objects (exchanges/*.yaml) as components receive them.
 * The metadata module (src/metadata/) loads and validates the YAML; components only see these.
 */
export type FeedStatus = "active" | "deprecated" | "disabled";

export interface FeedVersion {
  version: string;
  effective_from: string; // YYYY-MM-DD
  effective_to?: string; // YYYY-MM-DD, exclusive
  protocol: string; // e.g. "wss"
  endpoint: string; // WebSocket URL
  rest_endpoint: string; // REST base URL, e.g. https://.../trade-api/v2
  demo_endpoint?: string;
  demo_rest_endpoint?: string;
  auth_method?: string;
  rate_limits?: Record<string, number>;
  capabilities?: string[];
}

export interface FeedConfig {
  name: string;
  display_name?: string;
  type: string; // "websocket"
  status: FeedStatus;
  calendar?: { timezone: string; open_time?: string; close_time?: string; hours?: string };
  versions: FeedVersion[];
}

/** `transport.retention`, resolved: durations in ms, sizes in bytes, 0 = unlimited / no cap. */
export interface RetentionConfig {
  max_age_ms: number;
  max_bytes: number;
  max_messages: number;
  duplicate_window_ms: number;
  replicas: number;
  storage: "file" | "memory";
}

/** `retention` is absent when the file has no block (then src/metadata/retention.ts defaults apply). */
export type TransportConfig =
  | { type: "nats"; url: string; stream: string; subject_prefix: string; retention?: RetentionConfig }
  | { type: "memory"; stream: string; subject_prefix: string; retention?: RetentionConfig };

export type StorageConfig =
  | { type: "local"; path: string }
  | {
      type: "s3";
      endpoint?: string;
      bucket: string;
      region: string;
      prefix?: string;
      force_path_style?: boolean;
    };

export interface KeySpec {
  type: string; // api_key
  required: boolean;
  fields: string[];
  /** env:VAR[,VAR] | sealed-secret:ns/name | file:path */
  source: string;
}

export interface SubscriptionConfig {
  channels: string[];
  categories: string[];
  series: string[];
  tickers?: string[];
  max_markets_per_connection: number;
}

export interface EnvironmentConfig {
  name: string;
  feed: string;
  schema: string; // name:version
  schedule?: { timezone: string; day_start: string; day_end: string; auto_roll: boolean };
  keys: Record<string, KeySpec>;
  subscription: SubscriptionConfig;
  transport: TransportConfig;
  storage: StorageConfig;
  secmaster?: { url: string };
  cache?: { type: "redis"; url: string };
}

export type SchemaStatus = "draft" | "active" | "deprecated";
export type SchemaFormat = "capnp" | "json_schema" | "protobuf";

export interface SchemaVersion {
  version: string;
  format: SchemaFormat;
  /** Schema source file, relative to the schemas/ folder. */
  file: string;
  sha256: string;
  status: SchemaStatus;
  effective_from?: string; // YYYY-MM-DD
  effective_to?: string; // YYYY-MM-DD, exclusive
  compatible_with?: string[]; // earlier versions this one can read
}

export interface SchemaConfig {
  name: string;
  description?: string;
  versions: SchemaVersion[];
}
