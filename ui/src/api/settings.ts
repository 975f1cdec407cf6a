import { shell } from "./invoke";
import type { Basemap } from "../bindings/Basemap";
import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { DesktopSettings } from "../bindings/DesktopSettings";
import type { StatusBar } from "../bindings/StatusBar";

export const settingsGet = () => shell<DesktopSettings>("settings_get");
export const basemapSave = (basemap: Basemap | null) => shell<DesktopSettings>("basemap_save", { basemap });
export const databaseTest = (url: string) => shell<ConnectionCheck>("database_test", { url });
export const databaseSwitch = (url: string) => shell<StatusBar>("database_switch", { url });
/** The SHA-256 fingerprint of the certificate the town server at `url` presents (to compare with its console). */
export const serverProbe = (url: string) => shell<string>("server_probe", { url });
/** Switches this workstation to LAN mode through the town server, trusted by the CA file or the fingerprint. */
export const serverConnect = (url: string, caFile: string | null, fingerprint: string | null) =>
  shell<StatusBar>("server_connect", { url, caFile, fingerprint });
