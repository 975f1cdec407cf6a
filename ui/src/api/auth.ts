import { shell } from "./invoke";
import type { AuthState } from "../bindings/AuthState";

export const authState = () => shell<AuthState>("auth_state");
export {
  signIn,
  resume,
  signOut,
  sessionActivity,
  setupAdministrator,
  revealPersonField,
} from "../bindings/api";
