import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { ChangeNotice } from "../bindings/ChangeNotice";

/** The database's connection state as the live feed sees it. */
export interface ConnectionEvent {
  ok: boolean;
  message: string;
}

/** Calls `handler` for every batch of changes committed by anyone (this or another workstation, the intake). */
export const onDbChanges = (handler: (notice: ChangeNotice) => void): Promise<UnlistenFn> =>
  listen<ChangeNotice>("db-changes", (e) => handler(e.payload));

/** Calls `handler` when the database is lost or back. */
export const onDbConnection = (handler: (event: ConnectionEvent) => void): Promise<UnlistenFn> =>
  listen<ConnectionEvent>("db-connection", (e) => handler(e.payload));
