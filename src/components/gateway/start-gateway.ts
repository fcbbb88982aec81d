/**
 * Starts a gateway on its configured port, or — when that port is taken and the caller allows
 * it (ssmd demo) — on a free port instead, so a second demo on the same machine still runs.
 */
import { type GatewayConfigInput, resolveGatewayConfig } from "./config.js";
import { createGateway, type Gateway, type GatewayDeps } from "./gateway.js";

export async function startGatewayOnFreePortIfTaken(
  input: GatewayConfigInput,
  deps: GatewayDeps,
): Promise<Gateway> {
  const gateway = createGateway(resolveGatewayConfig(input), deps);
  try {
    await gateway.start();
    return gateway;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    deps.logger.warn("gateway port taken, using a free port", { port: input.port });
    const fallback = createGateway(resolveGatewayConfig({ ...input, port: 0 }), deps);
    await fallback.start();
    return fallback;
  }
}
