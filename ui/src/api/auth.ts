import { call } from "./invoke";
import type { AuthState } from "../bindings/AuthState";
import type { PersonField } from "../bindings/PersonField";
import type { SignedIn } from "../bindings/SignedIn";

export const authState = () => call<AuthState>("auth_state");
export const signIn = (username: string, password: string) => call<SignedIn>("sign_in", { username, password });
export const resume = (password: string) => call<SignedIn>("resume", { password });
export const signOut = () => call<null>("sign_out");
/** A person used the screen: the backend's idle timer starts again. */
export const sessionActivity = () => call<null>("session_activity");
export const setupAdministrator = (username: string, displayName: string, password: string) =>
  call<null>("setup_administrator", { username, displayName, password });
export const revealPersonField = (personId: string, field: PersonField, reason: string) =>
  call<string>("reveal_person_field", { personId, field, reason });
