import { call } from "./invoke";
import type { NewUser } from "../bindings/NewUser";
import type { UserView } from "../bindings/UserView";

export const changeOwnPassword = (current: string, next: string) =>
  call<null>("change_own_password", { current, new: next });
export const usersList = () => call<UserView[]>("users_list");
export const userAdd = (user: NewUser) => call<UserView>("user_add", { user });
export const userSetDisabled = (username: string, disabled: boolean) =>
  call<UserView>("user_set_disabled", { username, disabled });
export const userResetPassword = (username: string, password: string) =>
  call<UserView>("user_reset_password", { username, password });
