// domain/kato.ts: КАТО codes, search folding (both spellings), display names with the official
// abbreviations expanded in Kazakh and Russian, paths.
import { describe, expect, it } from "vitest";
import {
  foldForSearch,
  katoBilingualPath,
  katoDisplayName,
  katoInRegion,
  katoName,
  katoPathText,
  katoRegionCode,
  katoSortName,
} from "../../domain/kato.ts";

describe("КАТО codes", () => {
  it("the region of a code is its first two digits (code structure AA BB CC DDD)", () => {
    expect(katoRegionCode("711210000")).toBe("710000000");
    expect(katoRegionCode("101010000")).toBe("100000000");
    expect(katoRegionCode("71121")).toBeNull();
    expect(katoInRegion("791510000", "790000000")).toBe(true);
    expect(katoInRegion("751510000", "710000000")).toBe(false);
    expect(katoInRegion("x", "710000000")).toBe(false);
  });
});

describe("search folding", () => {
  it("a query with the Kazakh letters and the same word without them fold alike (Еңбекші = Енбекши)", () => {
    expect(foldForSearch("Еңбекші")).toBe("енбекши");
    expect(foldForSearch("Енбекши")).toBe("енбекши");
    expect(foldForSearch("ЕҢБЕКШІ")).toBe("енбекши");
    for (const [kk, plain] of [
      ["Әуезов", "ауезов"],
      ["Ғабит", "габит"],
      ["Қарасай", "Карасай"],
      ["Өскемен", "оскемен"],
      ["Ұлытау", "улытау"],
      ["Үржар", "уржар"],
      ["Һ", "х"],
      ["Іле", "иле"],
    ])
      expect(foldForSearch(kk!)).toBe(foldForSearch(plain!));
  });

  it("is case-insensitive, drops punctuation, ь/ъ and ё, and maps Latin look-alikes to Cyrillic", () => {
    expect(foldForSearch("г.Семей")).toBe("г семей");
    expect(foldForSearch("Аль-Фараби")).toBe(foldForSearch("Әл Фараби"));
    expect(foldForSearch("Астана")).toBe(foldForSearch("Aстана")); // Latin A
    expect(foldForSearch("Kокшетау")).toBe(foldForSearch("Көкшетау")); // Latin K
    expect(foldForSearch("Cарыарқа")).toBe("сарыарка"); // Latin C
    expect(foldForSearch("Ақкөл")).toBe(foldForSearch("АККОЛ"));
    expect(foldForSearch("Сарыагаш  ")).toBe("сарыагаш");
  });
});

describe("display names: the official abbreviations expanded", () => {
  it("Kazakh: а.о., а., қ., Қ.Ә./қ.ә., а.ә., к., к.ә., ст., уч., атын., шар.қож.", () => {
    const kk = (s: string) => katoDisplayName(s, "kk");
    expect(kk("Қараауыл а.о.")).toBe("Қараауыл ауылдық округі");
    expect(kk("Қараауыл а.")).toBe("Қараауыл ауылы");
    expect(kk("Семей қ.")).toBe("Семей қаласы");
    expect(kk("Семей Қ.Ә.")).toBe("Семей қалалық әкімдігі");
    expect(kk("Аягөз қ.ә.")).toBe("Аягөз қалалық әкімдігі");
    expect(kk("Тайтөбе а.ә.")).toBe("Тайтөбе ауылдық әкімдігі");
    expect(kk("Шаған к.")).toBe("Шаған кенті");
    expect(kk("Шаған к.ә.")).toBe("Шаған кенттік әкімдігі");
    expect(kk("Ақбұлақ ст.")).toBe("Ақбұлақ станциясы");
    expect(kk("Талды уч.")).toBe("Талды учаскесі");
    expect(kk("Қойгелді Аухадиев атын. а.о.")).toBe("Қойгелді Аухадиев атындағы ауылдық округі");
    expect(kk("Бақтыбай Жолбарысұлы атын.а.о")).toBe("Бақтыбай Жолбарысұлы атындағы ауылдық округі");
    expect(kk("«Сагиндиков К.С.» шар.қож.")).toBe("«Сагиндиков К.С.» шаруа қожалығы");
    expect(kk("рзд.18 км")).toBe("разъезд 18 км");
    expect(kk("Абай облысы")).toBe("Абай облысы");
  });

  it("Russian: с., с.о., г., Г.А./г.а., с.а., п., п.а., ст., уч., рзд., отг., кр.хоз., им.", () => {
    const ru = (s: string) => katoDisplayName(s, "ru");
    expect(ru("с.Карааул")).toBe("село Карааул");
    expect(ru("Карааульский с.о.")).toBe("Карааульский сельский округ");
    expect(ru("Кенгирбайбийский с.о")).toBe("Кенгирбайбийский сельский округ");
    expect(ru("г.Семей")).toBe("город Семей");
    expect(ru("Семей Г.А.")).toBe("Семей городская администрация");
    expect(ru("Аягоз г.а.")).toBe("Аягоз городская администрация");
    expect(ru("с.а.Тайтобе")).toBe("сельская администрация Тайтобе");
    expect(ru("п.Чаган")).toBe("поселок Чаган");
    expect(ru("Чаганская п.а.")).toBe("Чаганская поселковая администрация");
    expect(ru("ст.Акбулак")).toBe("станция Акбулак");
    expect(ru("Железнодорожная ст.465")).toBe("Железнодорожная станция 465");
    expect(ru("уч.Талды")).toBe("участок Талды");
    expect(ru("рзд.41")).toBe("разъезд 41");
    expect(ru("отг.Новображенка")).toBe("отгон Новображенка");
    expect(ru("кр.хоз. «Сагиндиков К.С.»")).toBe("крестьянское хозяйство «Сагиндиков К.С.»");
    expect(ru("с.о.им.Койгельды Аухадиева")).toBe("сельский округ имени Койгельды Аухадиева");
    expect(ru("с.им.Крупской")).toBe("село имени Крупской");
    expect(ru("Дом отд. Золотая Нива")).toBe("Дом отдыха Золотая Нива");
    expect(ru("район Есиль")).toBe("район Есиль");
  });

  it("initials are not taken for abbreviations", () => {
    expect(katoDisplayName("кр.хоз. «Кусайнова А.К.»", "ru")).toBe("крестьянское хозяйство «Кусайнова А.К.»");
    expect(katoDisplayName("Сариев У. «Сүйінжан» шар.қож.", "kk")).toBe(
      "Сариев У. «Сүйінжан» шаруа қожалығы",
    );
  });

  it("names and paths in the reader's language; Russian when there is no Kazakh name", () => {
    const astana = { code: "710000000", nameKk: "Астана қ.", nameRu: "г.Астана" };
    const esil = { code: "711210000", nameKk: "Есіл ауданы", nameRu: "район Есиль" };
    expect(katoPathText([astana, esil], "kk")).toBe("Астана қаласы › Есіл ауданы");
    expect(katoPathText([astana, esil], "ru")).toBe("город Астана › район Есиль");
    expect(katoName({ nameKk: null, nameRu: "с.Жидебай" }, "kk")).toBe("село Жидебай");
    expect(katoBilingualPath([astana, esil])).toEqual([
      { kk: "Астана қаласы", ru: "город Астана" },
      { kk: "Есіл ауданы", ru: "район Есиль" },
    ]);
  });

  it("sorts Russian names by the name, not by the kind word in front", () => {
    expect(katoSortName("г.Семей", "ru")).toBe("Семей");
    expect(katoSortName("с.Аксу", "ru")).toBe("Аксу");
    expect(katoSortName("Семей қ.", "kk")).toBe("Семей қаласы");
  });
});
