export { changeOwnPassword, usersList, userAdd, userSetDisabled, userResetPassword } from "../bindings/api";
