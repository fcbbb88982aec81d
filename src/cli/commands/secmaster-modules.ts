/** The secmaster's two command modules, for commands/index.ts. */
export { marketCommand } from "./market.js";
export { secmasterCommand } from "./secmaster.js";
