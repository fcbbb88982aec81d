/** WebSocket close codes the gateway sends, with the reason text clients read next to them. */

/** Slow consumer: the send queue passed its bounds. */
export const CLOSE_QUEUE_FULL = 4001;
/** Slow consumer: behind for longer than maxBehindMs. */
export const CLOSE_TOO_SLOW = 4002;
/** No pong within idleTimeoutMs. */
export const CLOSE_IDLE = 4003;
/** Too many bad requests. */
export const CLOSE_POLICY = 1008;
/** The gateway is shutting down. */
export const CLOSE_GOING_AWAY = 1001;
