import { shell } from "./invoke";
import type { Basemap } from "../bindings/Basemap";
import type { ConnectionCheck } from "../bindings/ConnectionCheck";
import type { DesktopSettings } from "../bindings/DesktopSettings";
import type { StatusBar } from "../bindings/StatusBar";

export const settingsGet = () => shell<DesktopSettings>("settings_get");
export const basemapSave = (basemap: Basemap | null) => shell<DesktopSettings>("basemap_save", { basemap });
export const databaseTest = (url: string) => shell<ConnectionCheck>("database_test", { url });
export const databaseSwitch = (url: string) => shell<StatusBar>("database_switch", { url });
