import { call } from "./invoke";
import type { Basemap } from "../bindings/Basemap";
import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { DesktopSettings } from "../bindings/DesktopSettings";
import type { StatusBar } from "../bindings/StatusBar";

export const settingsGet = () => call<DesktopSettings>("settings_get");
export const basemapSave = (basemap: Basemap | null) => call<DesktopSettings>("basemap_save", { basemap });
export const databaseTest = (url: string) => call<ConnectionCheck>("database_test", { url });
export const databaseSwitch = (url: string) => call<StatusBar>("database_switch", { url });
