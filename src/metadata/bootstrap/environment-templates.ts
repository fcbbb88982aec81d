/** The environments `ssmd init` writes (contract §2). */
const KEYS_INLINE_PEM = `keys:
  kalshi:
    type: api_key
    required: true
    fields: [api_key, private_key]
    source: "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY" # PEM text in KALSHI_PRIVATE_KEY
`;

const SUBSCRIPTION = `subscription:
  channels: [ticker, trade, orderbook_delta, market_lifecycle_v2]
  categories: []
  series: []
  max_markets_per_connection: 200
`;

export const ENVIRONMENT_TEMPLATES: Record<string, string> = {
  "kalshi-local": `# Everything in one process: in-memory bus, archive under ./data, embedded secmaster.
name: kalshi-local
feed: kalshi
schema: trade:v1
${KEYS_INLINE_PEM}${SUBSCRIPTION}transport:
  type: memory
  stream: LOCAL_KALSHI
  subject_prefix: local.kalshi
storage:
  type: local
  path: ./data
secmaster:
  url: pglite:./data/secmaster
`,
  "kalshi-sim": `# Against the simulator: \`ssmd sim --keys-dir keys\`, then export the printed variables.
name: kalshi-sim
feed: kalshi-sim
schema: trade:v1
keys:
  kalshi:
    type: api_key
    required: true
    fields: [api_key, private_key]
    source: "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY_PATH" # key id, then path of the PEM file
${SUBSCRIPTION}transport:
  type: nats
  url: nats://127.0.0.1:4222
  stream: SIM_KALSHI
  subject_prefix: sim.kalshi
storage:
  type: local
  path: ./data
secmaster:
  url: pglite:./data/secmaster
`,
  "kalshi-dev": `# Development against Kalshi with a local NATS and local archive.
name: kalshi-dev
feed: kalshi
schema: trade:v1
${KEYS_INLINE_PEM}${SUBSCRIPTION}transport:
  type: nats
  url: nats://localhost:4222
  stream: DEV_KALSHI
  subject_prefix: dev.kalshi
  # What the stream keeps; the connector creates/updates the stream with it at start.
  # Durations 30s|15m|24h|7d (0 = unlimited), sizes 512MB|50GB or bytes (0 = no cap).
  retention:
    max_age: 7d
    max_bytes: 10GB
    max_messages: 0
    duplicate_window: 2m # Nats-Msg-Id deduplication window
    replicas: 1
    storage: file
storage:
  type: local
  path: ./data
secmaster:
  url: pglite:./data/secmaster
`,
  "kalshi-prod": `# Production: NATS cluster, S3 archive, PostgreSQL secmaster, Redis cache, daily schedule.
name: kalshi-prod
feed: kalshi
schema: trade:v1
schedule:
  timezone: UTC
  day_start: "00:10"
  day_end: "00:00"
  auto_roll: true
${KEYS_INLINE_PEM}${SUBSCRIPTION}transport:
  type: nats
  url: nats://localhost:4222
  stream: PROD_KALSHI
  subject_prefix: prod.kalshi
  # What the stream keeps; the connector creates/updates the stream with it at start.
  # Durations 30s|15m|24h|7d (0 = unlimited), sizes 512MB|50GB or bytes (0 = no cap).
  retention:
    max_age: 7d
    max_bytes: 50GB
    max_messages: 0
    duplicate_window: 2m # Nats-Msg-Id deduplication window
    replicas: 3 # needs a 3-node JetStream cluster; a single nats-server refuses it: use 1 there
    storage: file
storage:
  type: s3
  bucket: ssmd-archive
  region: us-east-1
  prefix: kalshi/
secmaster:
  url: postgres://localhost/ssmd
cache:
  type: redis
  url: redis://localhost:6379
`,
};
