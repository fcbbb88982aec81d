/** Every schema migration, in version order. Add new ones at the end; never edit an applied one. */
import type { Migration } from "../migrate.js";
import { secmasterTables } from "./0001-secmaster.js";

export const MIGRATIONS: readonly Migration[] = [secmasterTables];
