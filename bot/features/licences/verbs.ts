// Callback verbs of «Мои электронные лицензии» (codec: bot/kit/callbacks.ts, ≤ 64 bytes).
//
//   lic.l              «Все лицензии»                      lic.rq            «Запросы по лицензиям»
//   lic.get[:<bin>]    «Получить лицензии» (own + linked BINs, or one BIN again)
//   lic.v:<licence>    one licence with its appendices     lic.a:<appendix>  the appendix as a file
import { defineVerbs } from "../../kit/callbacks.ts";

export const V = defineVerbs({
  list: "lic.l",
  requests: "lic.rq",
  get: "lic.get",
  view: "lic.v",
  appendix: "lic.a",
});
