/** Public surface of the Kalshi exchange simulator (and its reusable WebSocket server). */
export {
  API_KEY_FILE,
  createUpgradeAuth,
  generateKeys,
  loadOrCreateKeys,
  PRIVATE_KEY_FILE,
  type SimKeys,
} from "./auth.js";
export { FAULT_KINDS, type FaultCommand, type FaultKind, parseFaultSpec } from "./fault-spec.js";
export { DEFAULT_LIMITS, type SimOptions } from "./options.js";
export { type SentFrame, type SimStats, type Simulator, startSimulator } from "./simulator.js";
export type { DataChannel, MarketDataSource, SourceEvent } from "./source.js";
export {
  createKalshiWsServer,
  type KalshiWsServer,
  type KalshiWsServerOptions,
  WS_PATH,
} from "./ws-server.js";
export type { SessionLimits } from "./ws-session.js";
