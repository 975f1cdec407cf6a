import { call } from "./invoke";
import type { StatusBar } from "../bindings/StatusBar";

export const statusBar = () => call<StatusBar>("status_bar");
export const ping = () => call<null>("ping");
