/** The feeds `ssmd init` writes: the real Kalshi API (dated versions) and the local simulator. */
export const KALSHI_FEED = `# Kalshi Trade API v2 (event contracts). Each version is in force from effective_from
# (inclusive) to effective_to (exclusive); the connector picks the one in force today.
name: kalshi
display_name: Kalshi
type: websocket
status: active
calendar:
  timezone: UTC
  hours: "24/7" # markets trade around the clock; weekly maintenance Thursday 03:00-05:00 ET
versions:
  - version: v1
    effective_from: 2025-01-01
    effective_to: 2026-05-07
    protocol: wss
    endpoint: wss://api.elections.kalshi.com/trade-api/ws/v2
    rest_endpoint: https://api.elections.kalshi.com/trade-api/v2
    demo_endpoint: wss://demo-api.kalshi.co/trade-api/ws/v2
    demo_rest_endpoint: https://demo-api.kalshi.co/trade-api/v2
    auth_method: rsa_pss_sha256 # KALSHI-ACCESS-KEY/-TIMESTAMP/-SIGNATURE headers
    rate_limits: # 2025 Basic tier, requests per second
      read_per_second: 20
      write_per_second: 10
    capabilities: [orderbook_delta, ticker, trade, market_lifecycle_v2, multivariate]
  - version: v2
    effective_from: 2026-05-07
    protocol: wss
    endpoint: wss://external-api-ws.kalshi.com/trade-api/ws/v2
    rest_endpoint: https://external-api.kalshi.com/trade-api/v2
    demo_endpoint: wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2
    demo_rest_endpoint: https://external-api.demo.kalshi.co/trade-api/v2
    auth_method: rsa_pss_sha256 # required for every connection, public channels included
    rate_limits: # token buckets since 2026-04-23, Basic tier; a request costs 10 tokens by default
      read_tokens_per_second: 200
      write_tokens_per_second: 100
      default_request_cost: 10
    capabilities: [orderbook_delta, ticker, trade, market_lifecycle_v2]
`;

export const KALSHI_SIM_FEED = `# The local Kalshi simulator (\`ssmd sim\`, default port 8765): same protocol, no account needed.
name: kalshi-sim
display_name: Kalshi simulator
type: websocket
status: active
calendar:
  timezone: UTC
  hours: "24/7"
versions:
  - version: v1
    effective_from: 2025-01-01
    protocol: ws
    endpoint: ws://127.0.0.1:8765/trade-api/ws/v2
    rest_endpoint: http://127.0.0.1:8765/trade-api/v2
    auth_method: rsa_pss_sha256 # keys from \`ssmd sim --keys-dir DIR\`
    capabilities: [orderbook_delta, ticker, trade, market_lifecycle_v2]
`;
