import { shell } from "./invoke";

export { statusBar, ping } from "../bindings/api";
/** Tells the shell a start-up stage is on screen (for the start-up benchmark; harmless otherwise). */
export const uiReady = (stage: string) => shell<null>("ui_ready", { stage });
