/** Public surface of the security master component. */
export { CacheFollower } from "./cache-follower.js";
export { busChangeSink, type ChangeEvent, type ChangeSink, changeEventOf } from "./change-events.js";
export { applyClockTransitions } from "./clock-transitions.js";
export { EVENTS, MARKETS, SERIES } from "./entity-specs.js";
export type { EntityChange } from "./entity-writer.js";
export { secmasterRoutes } from "./http-routes.js";
export { LifecycleApplier, type LifecycleApplierConfig } from "./lifecycle-applier.js";
export { MarketCache } from "./market-cache.js";
export { secmasterRestPort } from "./market-resolver.js";
export { createSecmasterMetrics, type SecmasterMetrics } from "./metrics.js";
export type { EntityView, MarketFilter, Page } from "./queries.js";
export { SecmasterStore } from "./secmaster-store.js";
export { snapshotKey, writeMarketSnapshot } from "./snapshot.js";
export { runSync, type SyncOptions, type SyncProgress } from "./sync.js";
export { recentRuns } from "./sync-runs.js";
export type { SyncSummary } from "./sync-summary.js";
