import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import type { ChangeNotice } from "../bindings/ChangeNotice";
import type { ConnectionEvent } from "../bindings/ConnectionEvent";

/** Calls `handler` for every batch of changes committed by anyone (this or another workstation, the intake). */
export const onDbChanges = (handler: (notice: ChangeNotice) => void): Promise<UnlistenFn> =>
  listen<ChangeNotice>("db-changes", (e) => handler(e.payload));

/** Calls `handler` when the database is lost or back. */
export const onDbConnection = (handler: (event: ConnectionEvent) => void): Promise<UnlistenFn> =>
  listen<ConnectionEvent>("db-connection", (e) => handler(e.payload));
