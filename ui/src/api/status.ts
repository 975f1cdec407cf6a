import { call } from "./invoke";
import type { StatusBar } from "../bindings/StatusBar";

export const statusBar = () => call<StatusBar>("status_bar");
export const ping = () => call<null>("ping");

/** Tells the shell a start-up stage is on screen (for the start-up benchmark; harmless otherwise). */
export const uiReady = (stage: string) => call<null>("ui_ready", { stage });
